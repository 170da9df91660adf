namespace PSTorch.Backends;

/// <summary>
/// Fused optimizer steps: one pass over a parameter and its state, with no temporaries. All tensors are
/// contiguous, of one floating dtype (float32 or float64) and of the same shape; the optimizer falls back to
/// its formula-level update otherwise. The arithmetic is that of PyTorch's documented update rules.
/// </summary>
internal partial interface IBackend
{
    /// <summary>
    /// One Adam/AdamW step (torch.optim.Adam/AdamW) for step number <paramref name="step"/> (1-based):
    /// updates expAvg, expAvgSq, maxExpAvgSq (amsgrad, when given) and param in place.
    /// <paramref name="decoupled"/> applies weight decay to the parameter (AdamW) instead of the gradient.
    /// </summary>
    void AdamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq, double lr, double beta1, double beta2,
        double eps, double weightDecay, bool decoupled, bool maximize, long step);

    /// <summary>
    /// One SGD step (torch.optim.SGD): g = (maximize ? -grad : grad) + weightDecay * param, then momentum, then
    /// param -= lr * g. With momentum, <paramref name="momentumBuffer"/> is updated in place; on the first step
    /// (<paramref name="initializeBuffer"/>) it is set to the (weight-decayed) gradient instead, as PyTorch does.
    /// </summary>
    void SgdStep(Tensor param, Tensor grad, Tensor? momentumBuffer, bool initializeBuffer, double lr, double momentum, double dampening,
        double weightDecay, bool nesterov, bool maximize);
}
