namespace PSTorch.Backends;

/// <summary>Loss kernels that PyTorch also runs as single ops (nll_loss), on contiguous [M, C] inputs.</summary>
internal partial interface IBackend
{
    /// <summary>
    /// output = -weight[t] * logProbs[i, t] per row i with t = target[i] (0 where t == ignoreIndex), reduced by
    /// <paramref name="reduction"/>; totalWeight (a scalar) = the sum of the weights of the rows that count.
    /// Throws IndexOutOfRangeException for a target outside [0, C): at once on the CPU, at the next synchronisation on CUDA.
    /// </summary>
    void NllLoss(Tensor output, Tensor totalWeight, Tensor logProbs, Tensor target, Tensor? weight, long ignoreIndex, LossReduction reduction);

    /// <summary>gradInput (zero-filled here) [i, t] = -weight[t] * gradOutput (per row for None, / totalWeight for Mean).</summary>
    void NllLossBackward(Tensor gradInput, Tensor gradOutput, Tensor target, Tensor? weight, Tensor totalWeight, long ignoreIndex, LossReduction reduction);
}

internal enum LossReduction { None, Mean, Sum }
