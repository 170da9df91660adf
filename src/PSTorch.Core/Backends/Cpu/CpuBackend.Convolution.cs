namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Conv2d(Tensor output, Tensor input, Tensor weight, Tensor? bias, in Conv2dGeometry g)
    {
        switch (output.DType)
        {
            case DType.Float32: ConvolutionKernels<float>.Forward(output, input, weight, bias, g); break;
            case DType.Float64: ConvolutionKernels<double>.Forward(output, input, weight, bias, g); break;
            case DType.Float16 or DType.BFloat16:
                var forward = g;
                ViaFloat32(output, bias == null ? [input, weight] : [input, weight, bias], (f, s) => Conv2d(f, s[0], s[1], s.Length > 2 ? s[2] : null, forward));
                break;
            default: throw NotImplemented("conv2d", output.DType);
        }
    }

    public void Conv2dBackwardInput(Tensor gradInput, Tensor gradOutput, Tensor weight, in Conv2dGeometry g)
    {
        switch (gradInput.DType)
        {
            case DType.Float32: ConvolutionKernels<float>.BackwardInput(gradInput, gradOutput, weight, g); break;
            case DType.Float64: ConvolutionKernels<double>.BackwardInput(gradInput, gradOutput, weight, g); break;
            case DType.Float16 or DType.BFloat16:
                var backwardInput = g;
                ViaFloat32(gradInput, [gradOutput, weight], (f, s) => Conv2dBackwardInput(f, s[0], s[1], backwardInput));
                break;
            default: throw NotImplemented("conv2d_backward_input", gradInput.DType);
        }
    }

    public void Conv2dBackwardWeight(Tensor gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, in Conv2dGeometry g)
    {
        switch (gradWeight.DType)
        {
            case DType.Float32: ConvolutionKernels<float>.BackwardWeight(gradWeight, gradBias, gradOutput, input, g); break;
            case DType.Float64: ConvolutionKernels<double>.BackwardWeight(gradWeight, gradBias, gradOutput, input, g); break;
            case DType.Float16 or DType.BFloat16:
                var backwardWeight = g;
                ViaFloat32(gradWeight, [gradOutput, input], (f, s) => Conv2dBackwardWeight(f, null, s[0], s[1], backwardWeight));
                if (gradBias != null) Conv2dBackwardBias(gradBias, gradOutput);
                break;
            default: throw NotImplemented("conv2d_backward_weight", gradWeight.DType);
        }
    }

    public void Conv2dBackwardBias(Tensor gradBias, Tensor gradOutput)
    {
        switch (gradBias.DType)
        {
            case DType.Float32: ConvolutionKernels<float>.BackwardBias(gradBias, gradOutput); break;
            case DType.Float64: ConvolutionKernels<double>.BackwardBias(gradBias, gradOutput); break;
            case DType.Float16 or DType.BFloat16: ViaFloat32(gradBias, [gradOutput], (f, s) => Conv2dBackwardBias(f, s[0])); break;
            default: throw NotImplemented("conv2d_backward_bias", gradBias.DType);
        }
    }

    static NotSupportedException NotImplemented(string kernel, DType dtype) =>
        new($"\"{kernel}\" not implemented for '{dtype.LegacyName()}'");
}
