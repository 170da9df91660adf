using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>nll_loss on contiguous [M, C] log-probabilities (loss.cu).</summary>
internal sealed unsafe partial class CudaBackend
{
    /// <summary>
    /// An out-of-range target raises the CPU's IndexOutOfRangeException: the kernel sets a device flag, read here
    /// (PyTorch's CUDA kernel asserts on the device instead, which leaves the context unusable).
    /// </summary>
    public void NllLoss(Tensor output, Tensor totalWeight, Tensor logProbs, Tensor target, Tensor? weight, long ignoreIndex, LossReduction reduction)
    {
        var device = Enter(output);
        SameDevice(device, totalWeight, logProbs, target, weight);
        long rows = logProbs.ShapeRef[0], classes = logProbs.ShapeRef[1];
        using var invalid = Tensor.Empty([], DType.Int32, device);
        Fill(invalid, 0);
        if (reduction == LossReduction.None) Fill(totalWeight, 0);
        Check(PstorchCuda.NllLoss(CudaOpCodes.Of(logProbs.DType), output.DataPointer, totalWeight.DataPointer, logProbs.DataPointer,
            (long*)target.DataPointer, weight == null ? null : weight.DataPointer, rows, classes, ignoreIndex, (PstReduction)(int)reduction,
            (int*)invalid.DataPointer, Stream));
        if (invalid.Item<int>() != 0) throw new IndexOutOfRangeException(FirstInvalidTarget(target, classes, ignoreIndex));
    }

    /// <summary>The CPU kernel's message, naming the first target outside [0, classes) (read back only on this error path).</summary>
    static string FirstInvalidTarget(Tensor target, long classes, long ignoreIndex)
    {
        foreach (long t in target.ToArray<long>())
            if (t != ignoreIndex && (t < 0 || t >= classes)) return $"Target {t} is out of bounds.";
        return "Target is out of bounds.";
    }

    public void NllLossBackward(Tensor gradInput, Tensor gradOutput, Tensor target, Tensor? weight, Tensor totalWeight, long ignoreIndex, LossReduction reduction)
    {
        var device = Enter(gradInput);
        SameDevice(device, gradOutput, target, weight, totalWeight);
        long rows = gradInput.ShapeRef[0], classes = gradInput.ShapeRef[1];
        Check(PstorchCuda.NllLossBackward(CudaOpCodes.Of(gradInput.DType), gradInput.DataPointer, gradOutput.DataPointer, (long*)target.DataPointer,
            weight == null ? null : weight.DataPointer, totalWeight.DataPointer, rows, classes, ignoreIndex, (PstReduction)(int)reduction, Stream));
    }
}
