using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>nll_loss on contiguous [M, C] log-probabilities (loss.cu).</summary>
internal sealed unsafe partial class CudaBackend
{
    /// <summary>
    /// An out-of-range target raises an IndexOutOfRangeException at the next synchronisation with the device: the
    /// kernel skips it and raises a device flag, which <see cref="DeferredDeviceChecks"/> reads then, so the loss costs
    /// no wait (PyTorch's CUDA kernel asserts on the device instead, which leaves the context unusable).
    /// </summary>
    public void NllLoss(Tensor output, Tensor totalWeight, Tensor logProbs, Tensor target, Tensor? weight, long ignoreIndex, LossReduction reduction)
    {
        var device = Enter(output);
        SameDevice(device, totalWeight, logProbs, target, weight);
        long rows = logProbs.ShapeRef[0], classes = logProbs.ShapeRef[1];
        if (reduction == LossReduction.None) Fill(totalWeight, 0);
        using var invalid = InvalidTargetFlag("nll_loss", device, classes);
        Check(PstorchCuda.NllLoss(CudaOpCodes.Of(logProbs.DType), output.DataPointer, totalWeight.DataPointer, logProbs.DataPointer,
            (long*)target.DataPointer, weight == null ? null : weight.DataPointer, rows, classes, ignoreIndex, (PstReduction)(int)reduction,
            (int*)invalid.DataPointer, Stream));
    }

    /// <summary>A cleared device flag for the loss kernels' out-of-range targets, checked at the next synchronisation.</summary>
    static Tensor InvalidTargetFlag(string op, Device device, long classes) =>
        DeferredDeviceChecks.Claim(device, () => new IndexOutOfRangeException(
            $"Target is out of bounds: a {op} target on {device} was outside [0, {classes}) (CUDA reports it at the next synchronisation, like a device-side assert)."));

    public void NllLossBackward(Tensor gradInput, Tensor gradOutput, Tensor target, Tensor? weight, Tensor totalWeight, long ignoreIndex, LossReduction reduction)
    {
        var device = Enter(gradInput);
        SameDevice(device, gradOutput, target, weight, totalWeight);
        long rows = gradInput.ShapeRef[0], classes = gradInput.ShapeRef[1];
        Check(PstorchCuda.NllLossBackward(CudaOpCodes.Of(gradInput.DType), gradInput.DataPointer, gradOutput.DataPointer, (long*)target.DataPointer,
            weight == null ? null : weight.DataPointer, totalWeight.DataPointer, rows, classes, ignoreIndex, (PstReduction)(int)reduction, Stream));
    }
}
