namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void NllLoss(Tensor output, Tensor totalWeight, Tensor logProbs, Tensor target, Tensor? weight, long ignoreIndex, LossReduction reduction)
    {
        long rows = logProbs.Size(0), classes = logProbs.Size(1);
        switch (logProbs.DType)
        {
            case DType.Float32:
                NllLossKernels<float>.Forward(output.Ptr<float>(), totalWeight.Ptr<float>(), logProbs.Ptr<float>(), target.Ptr<long>(),
                    weight == null ? null : weight.Ptr<float>(), rows, classes, ignoreIndex, reduction);
                break;
            case DType.Float64:
                NllLossKernels<double>.Forward(output.Ptr<double>(), totalWeight.Ptr<double>(), logProbs.Ptr<double>(), target.Ptr<long>(),
                    weight == null ? null : weight.Ptr<double>(), rows, classes, ignoreIndex, reduction);
                break;
            default: throw NotImplemented("nll_loss_out_frame", logProbs.DType);
        }
    }

    public void NllLossBackward(Tensor gradInput, Tensor gradOutput, Tensor target, Tensor? weight, Tensor totalWeight, long ignoreIndex, LossReduction reduction)
    {
        long rows = gradInput.Size(0), classes = gradInput.Size(1);
        switch (gradInput.DType)
        {
            case DType.Float32:
                NllLossKernels<float>.Backward(gradInput.Ptr<float>(), gradOutput.Ptr<float>(), target.Ptr<long>(),
                    weight == null ? null : weight.Ptr<float>(), totalWeight.Ptr<float>(), rows, classes, ignoreIndex, reduction);
                break;
            case DType.Float64:
                NllLossKernels<double>.Backward(gradInput.Ptr<double>(), gradOutput.Ptr<double>(), target.Ptr<long>(),
                    weight == null ? null : weight.Ptr<double>(), totalWeight.Ptr<double>(), rows, classes, ignoreIndex, reduction);
                break;
            default: throw NotImplemented("nll_loss_backward_out_frame", gradInput.DType);
        }
    }
}
