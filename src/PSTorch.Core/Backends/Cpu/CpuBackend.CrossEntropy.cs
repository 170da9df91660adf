namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void CrossEntropy(Tensor output, Tensor totalWeight, Tensor lse, Tensor logits, Tensor target, Tensor? weight, long ignoreIndex, double labelSmoothing, LossReduction reduction)
    {
        long rows = logits.Size(0), classes = logits.Size(1);
        switch (logits.DType)
        {
            case DType.Float32:
                CrossEntropyKernels<float>.Forward(output.Ptr<float>(), totalWeight.Ptr<float>(), lse.Ptr<float>(), logits.Ptr<float>(), target.Ptr<long>(),
                    weight == null ? null : weight.Ptr<float>(), rows, classes, ignoreIndex, labelSmoothing, reduction);
                break;
            case DType.Float64:
                CrossEntropyKernels<double>.Forward(output.Ptr<double>(), totalWeight.Ptr<double>(), lse.Ptr<double>(), logits.Ptr<double>(), target.Ptr<long>(),
                    weight == null ? null : weight.Ptr<double>(), rows, classes, ignoreIndex, labelSmoothing, reduction);
                break;
            default: throw NotImplemented("cross_entropy_loss", logits.DType);
        }
    }

    public void CrossEntropyBackward(Tensor gradLogits, Tensor gradOutput, Tensor logits, Tensor lse, Tensor target, Tensor? weight, Tensor totalWeight,
        long ignoreIndex, double labelSmoothing, LossReduction reduction)
    {
        long rows = logits.Size(0), classes = logits.Size(1);
        switch (logits.DType)
        {
            case DType.Float32:
                CrossEntropyKernels<float>.Backward(gradLogits.Ptr<float>(), gradOutput.Ptr<float>(), logits.Ptr<float>(), lse.Ptr<float>(), target.Ptr<long>(),
                    weight == null ? null : weight.Ptr<float>(), totalWeight.Ptr<float>(), rows, classes, ignoreIndex, labelSmoothing, reduction);
                break;
            case DType.Float64:
                CrossEntropyKernels<double>.Backward(gradLogits.Ptr<double>(), gradOutput.Ptr<double>(), logits.Ptr<double>(), lse.Ptr<double>(), target.Ptr<long>(),
                    weight == null ? null : weight.Ptr<double>(), totalWeight.Ptr<double>(), rows, classes, ignoreIndex, labelSmoothing, reduction);
                break;
            default: throw NotImplemented("cross_entropy_loss_backward", logits.DType);
        }
    }
}
