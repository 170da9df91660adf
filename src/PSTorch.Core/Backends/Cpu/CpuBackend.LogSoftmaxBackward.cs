namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void LogSoftmaxBackward(Tensor gradInput, Tensor gradOutput, Tensor output, long outer, long n, long inner)
    {
        switch (gradInput.DType)
        {
            case DType.Float32: LogSoftmaxBackwardKernel<float>.Run(gradOutput.Ptr<float>(), output.Ptr<float>(), gradInput.Ptr<float>(), outer, n, inner); break;
            case DType.Float64: LogSoftmaxBackwardKernel<double>.Run(gradOutput.Ptr<double>(), output.Ptr<double>(), gradInput.Ptr<double>(), outer, n, inner); break;
            default: throw new NotSupportedException($"log_softmax backward is not implemented for dtype {gradInput.DType.Name()}");
        }
    }
}
