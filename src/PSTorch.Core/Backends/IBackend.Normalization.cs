namespace PSTorch.Backends;

/// <summary>
/// Fused batch_norm and layer_norm (the contracts of pst_batch_norm_* / pst_layer_norm_* in pstorch_cuda.h).
/// Inputs, outputs and gradients are contiguous: batch norm sees [batch, channels, plane], layer norm [rows, cols].
/// Statistics are two-pass (mean, then the mean of squared deviations) in the accumulation type: float64 for
/// float64 input, float32 otherwise; saved means and inverse standard deviations have that dtype. A null optional
/// tensor is absent (weight 1, bias 0, statistics not kept, gradient not wanted).
/// </summary>
internal partial interface IBackend
{
    /// <summary>
    /// Batch norm. weight, bias, runningMean, runningVar, saveMean, saveInvstd: [channels] in the accumulation type.
    /// training: the batch mean and biased variance normalise, go to saveMean/saveInvstd (invstd = 1 / sqrt(var + eps)),
    /// and the running statistics, when given, become (1 - momentum) * running + momentum * statistic with the
    /// unbiased variance (batch * plane must exceed 1). Not training: the running statistics (required) normalise and
    /// saveMean/saveInvstd, when given, receive the running mean and 1 / sqrt(running_var + eps).
    /// </summary>
    void BatchNormForward(Tensor output, Tensor? saveMean, Tensor? saveInvstd, Tensor? runningMean, Tensor? runningVar, Tensor input,
        Tensor? weight, Tensor? bias, long batch, long channels, long plane, bool training, double momentum, double eps);

    /// <summary>
    /// Gradients of <see cref="BatchNormForward"/> from its saved statistics. training: gradInput flows through the
    /// batch statistics, invstd * w * (dy - mean(dy) - xhat mean(dy xhat)); otherwise gradInput = dy * w * invstd.
    /// gradWeight = sum(dy xhat) and gradBias = sum(dy) per channel, in the accumulation type.
    /// </summary>
    void BatchNormBackward(Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Tensor? weight,
        Tensor saveMean, Tensor saveInvstd, long batch, long channels, long plane, bool training);

    /// <summary>
    /// Layer norm of each row with its own mean and biased variance: y = (x - mean) * rstd * weight + bias,
    /// rstd = 1 / sqrt(var + eps). weight, bias [cols] have the input's dtype; saveMean/saveRstd [rows] the accumulation type.
    /// </summary>
    void LayerNormForward(Tensor output, Tensor? saveMean, Tensor? saveRstd, Tensor input, Tensor? weight, Tensor? bias, long rows, long cols, double eps);

    /// <summary>
    /// Gradients of <see cref="LayerNormForward"/>: gradInput = rstd * (g - mean(g) - xhat mean(g xhat)) per row with
    /// g = dy * weight; gradWeight = sum over rows of dy xhat, gradBias = sum over rows of dy (input dtype).
    /// </summary>
    void LayerNormBackward(Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Tensor? weight,
        Tensor saveMean, Tensor saveRstd, long rows, long cols);
}
