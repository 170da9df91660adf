using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>cross_entropy with class-index targets on contiguous [M, C] logits, log-softmax fused in (loss.cu).</summary>
internal sealed unsafe partial class CudaBackend
{
    /// <summary>An out-of-range target raises an IndexOutOfRangeException at the next synchronisation, from the kernel's device flag (as <see cref="NllLoss"/>).</summary>
    public void CrossEntropy(Tensor output, Tensor totalWeight, Tensor lse, Tensor logits, Tensor target, Tensor? weight, long ignoreIndex, double labelSmoothing, LossReduction reduction)
    {
        var device = Enter(output);
        SameDevice(device, totalWeight, lse, logits, target, weight);
        long rows = logits.ShapeRef[0], classes = logits.ShapeRef[1];
        if (reduction == LossReduction.None) Fill(totalWeight, 0);
        using var invalid = InvalidTargetFlag("cross_entropy", device, classes);
        Check(PstorchCuda.CrossEntropy(CudaOpCodes.Of(logits.DType), output.DataPointer, totalWeight.DataPointer, lse.DataPointer, logits.DataPointer,
            (long*)target.DataPointer, weight == null ? null : weight.DataPointer, rows, classes, ignoreIndex, labelSmoothing, (PstReduction)(int)reduction,
            (int*)invalid.DataPointer, Stream));
    }

    public void CrossEntropyBackward(Tensor gradLogits, Tensor gradOutput, Tensor logits, Tensor lse, Tensor target, Tensor? weight, Tensor totalWeight,
        long ignoreIndex, double labelSmoothing, LossReduction reduction)
    {
        var device = Enter(gradLogits);
        SameDevice(device, gradOutput, logits, lse, target, weight, totalWeight);
        long rows = logits.ShapeRef[0], classes = logits.ShapeRef[1];
        Check(PstorchCuda.CrossEntropyBackward(CudaOpCodes.Of(logits.DType), gradLogits.DataPointer, gradOutput.DataPointer, logits.DataPointer, lse.DataPointer,
            (long*)target.DataPointer, weight == null ? null : weight.DataPointer, totalWeight.DataPointer, rows, classes, ignoreIndex, labelSmoothing,
            (PstReduction)(int)reduction, Stream));
    }
}
