namespace PSTorch.Backends;

/// <summary>cross_entropy with class-index targets as one forward and one backward kernel (log-softmax fused in).</summary>
internal partial interface IBackend
{
    /// <summary>
    /// Per row i of contiguous logits [M, C], with lse = logsumexp(logits[i]) and s = labelSmoothing:
    /// loss_i = (1 - s) * -w[t] (x_t - lse) + s / C * -sum_j w[j] (x_j - lse), t = target[i], 0 where t == ignoreIndex;
    /// reduced as <see cref="NllLoss"/> (mean divides both terms by totalWeight, the sum of w[t] over counted rows).
    /// lse [M] (float64 for float64 logits, else float32) is written for the backward.
    /// A target outside [0, C) throws IndexOutOfRangeException("Target t is out of bounds.") on the CPU; on CUDA the
    /// kernel skips it and the error is thrown at the next synchronisation (DeferredDeviceChecks).
    /// </summary>
    void CrossEntropy(Tensor output, Tensor totalWeight, Tensor lse, Tensor logits, Tensor target, Tensor? weight, long ignoreIndex, double labelSmoothing, LossReduction reduction);

    /// <summary>
    /// gradLogits [M, C] (every element written) = g_i * ((1 - s) w[t] (p_k - [k == t]) + s / C (W p_k - w[k])) with
    /// p = exp(x - lse), W = sum_j w[j], g_i = gradOutput[i] (none), gradOutput / totalWeight (mean) or gradOutput (sum);
    /// 0 for ignored rows.
    /// </summary>
    void CrossEntropyBackward(Tensor gradLogits, Tensor gradOutput, Tensor logits, Tensor lse, Tensor target, Tensor? weight, Tensor totalWeight, long ignoreIndex, double labelSmoothing, LossReduction reduction);
}
