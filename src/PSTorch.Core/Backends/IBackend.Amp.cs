namespace PSTorch.Backends;

/// <summary>
/// The device side of gradient scaling (torch._amp_foreach_non_finite_check_and_unscale_ and torch._amp_update_scale_):
/// the scale, the found-inf flag and the growth tracker stay one-element tensors on the device, so a training step
/// needs no host round trip per parameter.
/// </summary>
internal partial interface IBackend
{
    /// <summary>
    /// Multiplies every gradient (floating, any strides, this backend's device) in place by invScale (one float32
    /// element) and sets foundInf (one float32 element) to 1 when any of their values was inf or NaN; foundInf is
    /// never reset here, so calls for several groups of gradients accumulate into it.
    /// </summary>
    void NonFiniteCheckAndUnscale(IReadOnlyList<Tensor> grads, Tensor foundInf, Tensor invScale);

    /// <summary>
    /// GradScaler's scale update, in place: after an inf/NaN (foundInf != 0) scale *= backoffFactor and the tracker
    /// restarts at 0; otherwise the tracker (int32) counts the good step, and when it reaches growthInterval it
    /// restarts and scale *= growthFactor, unless that would not be finite. scale and foundInf are float32; all
    /// three hold one element.
    /// </summary>
    void UpdateScale(Tensor scale, Tensor growthTracker, Tensor foundInf, double growthFactor, double backoffFactor, long growthInterval);
}
