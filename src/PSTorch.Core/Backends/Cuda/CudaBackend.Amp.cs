namespace PSTorch.Backends.Cuda;

internal sealed partial class CudaBackend
{
    public void NonFiniteCheckAndUnscale(IReadOnlyList<Tensor> grads, Tensor foundInf, Tensor invScale) =>
        ComposedAmpKernels.NonFiniteCheckAndUnscale(this, grads, foundInf, invScale);

    public void UpdateScale(Tensor scale, Tensor growthTracker, Tensor foundInf, double growthFactor, double backoffFactor, long growthInterval) =>
        ComposedAmpKernels.UpdateScale(this, scale, growthTracker, foundInf, growthFactor, backoffFactor, growthInterval);
}
