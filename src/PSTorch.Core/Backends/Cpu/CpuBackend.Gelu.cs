namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Gelu(Tensor output, Tensor input, bool tanhApproximation)
    {
        switch (output.DType)
        {
            case DType.Float32: GeluKernels.Forward(input.Ptr<float>(), output.Ptr<float>(), output.Numel(), tanhApproximation); break;
            case DType.Float64: GeluKernels.Forward(input.Ptr<double>(), output.Ptr<double>(), output.Numel(), tanhApproximation); break;
            default: throw NotImplemented("GeluKernelImpl", output.DType);
        }
    }

    public void GeluBackward(Tensor gradInput, Tensor gradOutput, Tensor input, bool tanhApproximation)
    {
        switch (gradInput.DType)
        {
            case DType.Float32: GeluKernels.Backward(gradOutput.Ptr<float>(), input.Ptr<float>(), gradInput.Ptr<float>(), gradInput.Numel(), tanhApproximation); break;
            case DType.Float64: GeluKernels.Backward(gradOutput.Ptr<double>(), input.Ptr<double>(), gradInput.Ptr<double>(), gradInput.Numel(), tanhApproximation); break;
            default: throw NotImplemented("GeluBackwardKernelImpl", gradInput.DType);
        }
    }
}
