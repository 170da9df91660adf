namespace PSTorch.Backends;

/// <summary>The tensors of one parameter in a fused multi-tensor optimizer step.</summary>
internal interface IStepTensors
{
    Tensor Param { get; }
}

/// <summary>One parameter of a fused Adam/AdamW step with its state; <see cref="MaxExpAvgSq"/> only with amsgrad.</summary>
internal readonly record struct AdamTensors(Tensor Param, Tensor Grad, Tensor ExpAvg, Tensor ExpAvgSq, Tensor? MaxExpAvgSq) : IStepTensors;

/// <summary>One parameter of a fused SGD step; <see cref="MomentumBuffer"/> only with momentum.</summary>
internal readonly record struct SgdTensors(Tensor Param, Tensor Grad, Tensor? MomentumBuffer) : IStepTensors;

/// <summary>One parameter of a fused Adagrad step with its accumulated squared gradients ("sum").</summary>
internal readonly record struct AdagradTensors(Tensor Param, Tensor Grad, Tensor Sum) : IStepTensors;

/// <summary>
/// One parameter of a fused RMSprop step; <see cref="GradAvg"/> only when centered, <see cref="MomentumBuffer"/> only
/// with momentum.
/// </summary>
internal readonly record struct RmspropTensors(Tensor Param, Tensor Grad, Tensor SquareAvg, Tensor? GradAvg, Tensor? MomentumBuffer) : IStepTensors;

/// <summary>
/// Fused multi-tensor optimizer steps, like PyTorch's foreach/fused paths: one call updates every parameter of a
/// list, in one pass over each parameter and its state, with no temporaries (on CUDA, one launch for up to the
/// kernel's tensor count). Every tensor of a call is on this backend's device, contiguous, of one floating dtype
/// (float32 or float64), and shaped like its parameter; the optional state is present for all parameters or for
/// none. The optimizer falls back to its formula-level update otherwise. The arithmetic is that of PyTorch's
/// documented update rules.
/// </summary>
internal partial interface IBackend
{
    /// <summary>
    /// One Adam/AdamW step (torch.optim.Adam/AdamW) for step number <paramref name="step"/> (1-based) of every
    /// parameter: updates ExpAvg, ExpAvgSq, MaxExpAvgSq (amsgrad) and Param in place.
    /// <paramref name="decoupled"/> applies weight decay to the parameter (AdamW) instead of the gradient.
    /// </summary>
    void AdamStep(ReadOnlySpan<AdamTensors> parameters, double lr, double beta1, double beta2,
        double eps, double weightDecay, bool decoupled, bool maximize, long step);

    /// <summary>
    /// One SGD step (torch.optim.SGD) of every parameter: g = (maximize ? -grad : grad) + weightDecay * param, then
    /// momentum, then param -= lr * g. With momentum, the buffers are updated in place; on the first step
    /// (<paramref name="initializeBuffers"/>) they are set to the (weight-decayed) gradient instead, as PyTorch does.
    /// </summary>
    void SgdStep(ReadOnlySpan<SgdTensors> parameters, bool initializeBuffers, double lr, double momentum, double dampening,
        double weightDecay, bool nesterov, bool maximize);

    /// <summary>
    /// One Adagrad step (torch.optim.Adagrad) of every parameter, all at step number <paramref name="step"/>
    /// (1-based): g = (maximize ? -grad : grad) + weightDecay * param; sum += g * g;
    /// param -= g / (sqrt(sum) + eps) * clr with clr = lr / (1 + (step - 1) * lrDecay). Updates Sum and Param in place.
    /// </summary>
    void AdagradStep(ReadOnlySpan<AdagradTensors> parameters, double lr, double lrDecay, double weightDecay, double eps,
        bool maximize, long step);

    /// <summary>
    /// One RMSprop step (torch.optim.RMSprop) of every parameter: g = (maximize ? -grad : grad) + weightDecay * param;
    /// squareAvg = squareAvg * alpha + g * g * (1 - alpha); centered (GradAvg given): gradAvg = gradAvg * alpha +
    /// g * (1 - alpha) and avg = squareAvg - gradAvg * gradAvg, else avg = squareAvg; denom = sqrt(avg) + eps; with a
    /// momentum buffer: buf = buf * momentum + g / denom, param -= buf * lr; without: param -= g / denom * lr.
    /// The state given is updated in place.
    /// </summary>
    void RmspropStep(ReadOnlySpan<RmspropTensors> parameters, double lr, double alpha, double eps, double weightDecay,
        double momentum, bool maximize);
}
