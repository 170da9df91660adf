namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void MaxPool2d(Tensor output, Tensor indices, Tensor input, in Pool2dGeometry g)
    {
        switch (output.DType)
        {
            case DType.Float32: PoolingKernels<float>.MaxForward(output, indices, input, g); break;
            case DType.Float64: PoolingKernels<double>.MaxForward(output, indices, input, g); break;
            default: throw NotImplemented("max_pool2d", output.DType);
        }
    }

    public void MaxPool2dBackward(Tensor gradInput, Tensor gradOutput, Tensor indices, in Pool2dGeometry g)
    {
        switch (gradInput.DType)
        {
            case DType.Float32: PoolingKernels<float>.MaxBackward(gradInput, gradOutput, indices, g); break;
            case DType.Float64: PoolingKernels<double>.MaxBackward(gradInput, gradOutput, indices, g); break;
            default: throw NotImplemented("max_pool2d_backward", gradInput.DType);
        }
    }

    public void AvgPool2d(Tensor output, Tensor input, in Pool2dGeometry g, bool countIncludePad, long divisorOverride)
    {
        switch (output.DType)
        {
            case DType.Float32: PoolingKernels<float>.Average(output, input, g, false, countIncludePad, divisorOverride, backward: false); break;
            case DType.Float64: PoolingKernels<double>.Average(output, input, g, false, countIncludePad, divisorOverride, backward: false); break;
            default: throw NotImplemented("avg_pool2d", output.DType);
        }
    }

    public void AvgPool2dBackward(Tensor gradInput, Tensor gradOutput, in Pool2dGeometry g, bool countIncludePad, long divisorOverride)
    {
        switch (gradInput.DType)
        {
            case DType.Float32: PoolingKernels<float>.Average(gradOutput, gradInput, g, false, countIncludePad, divisorOverride, backward: true); break;
            case DType.Float64: PoolingKernels<double>.Average(gradOutput, gradInput, g, false, countIncludePad, divisorOverride, backward: true); break;
            default: throw NotImplemented("avg_pool2d_backward", gradInput.DType);
        }
    }

    public void AdaptiveAvgPool2d(Tensor output, Tensor input, in Pool2dGeometry g)
    {
        switch (output.DType)
        {
            case DType.Float32: PoolingKernels<float>.Average(output, input, g, true, false, 0, backward: false); break;
            case DType.Float64: PoolingKernels<double>.Average(output, input, g, true, false, 0, backward: false); break;
            default: throw NotImplemented("adaptive_avg_pool2d", output.DType);
        }
    }

    public void AdaptiveAvgPool2dBackward(Tensor gradInput, Tensor gradOutput, in Pool2dGeometry g)
    {
        switch (gradInput.DType)
        {
            case DType.Float32: PoolingKernels<float>.Average(gradOutput, gradInput, g, true, false, 0, backward: true); break;
            case DType.Float64: PoolingKernels<double>.Average(gradOutput, gradInput, g, true, false, 0, backward: true); break;
            default: throw NotImplemented("adaptive_avg_pool2d_backward", gradInput.DType);
        }
    }

    public void AdaptiveMaxPool2d(Tensor output, Tensor indices, Tensor input, in Pool2dGeometry g)
    {
        switch (output.DType)
        {
            case DType.Float32: PoolingKernels<float>.AdaptiveMaxForward(output, indices, input, g); break;
            case DType.Float64: PoolingKernels<double>.AdaptiveMaxForward(output, indices, input, g); break;
            default: throw NotImplemented("adaptive_max_pool2d", output.DType);
        }
    }

    public void AdaptiveMaxPool2dBackward(Tensor gradInput, Tensor gradOutput, Tensor indices, in Pool2dGeometry g)
    {
        // the same scatter of each gradient to its argmax as max_pool2d's (an adaptive geometry never takes its 2x2 path)
        switch (gradInput.DType)
        {
            case DType.Float32: PoolingKernels<float>.MaxBackward(gradInput, gradOutput, indices, g); break;
            case DType.Float64: PoolingKernels<double>.MaxBackward(gradInput, gradOutput, indices, g); break;
            default: throw NotImplemented("adaptive_max_pool2d_backward", gradInput.DType);
        }
    }
}
