using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>Activation gradients and GELU over contiguous tensors (pst_relu_backward, pst_gelu, pst_gelu_backward).</summary>
internal sealed unsafe partial class CudaBackend
{
    public void ReluBackward(Tensor gradInput, Tensor gradOutput, Tensor output)
    {
        var device = Enter(gradInput);
        SameDevice(device, gradOutput, output);
        Check(PstorchCuda.ReluBackward(CudaOpCodes.Of(gradInput.DType), gradInput.DataPointer, gradOutput.DataPointer, output.DataPointer,
            gradInput.Numel(), Stream));
    }

    public void Gelu(Tensor output, Tensor input, bool tanhApproximation)
    {
        var device = Enter(output);
        SameDevice(device, input);
        Check(PstorchCuda.Gelu(CudaOpCodes.Of(output.DType), output.DataPointer, input.DataPointer, output.Numel(), tanhApproximation ? 1 : 0, Stream));
    }

    public void GeluBackward(Tensor gradInput, Tensor gradOutput, Tensor input, bool tanhApproximation)
    {
        var device = Enter(gradInput);
        SameDevice(device, gradOutput, input);
        Check(PstorchCuda.GeluBackward(CudaOpCodes.Of(gradInput.DType), gradInput.DataPointer, gradOutput.DataPointer, input.DataPointer,
            gradInput.Numel(), tanhApproximation ? 1 : 0, Stream));
    }
}
