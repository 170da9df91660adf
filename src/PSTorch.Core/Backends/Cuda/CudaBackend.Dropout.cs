using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>Fused dropout (dropout.cu) over contiguous tensors.</summary>
internal sealed unsafe partial class CudaBackend
{
    public void Dropout(Tensor output, Tensor mask, Tensor input, double p, PhiloxState state)
    {
        var device = Enter(output);
        SameDevice(device, mask, input);
        Check(PstorchCuda.Dropout(CudaOpCodes.Of(input.DType), output.DataPointer, (byte*)mask.DataPointer, input.DataPointer, input.Numel(), p,
            state.Seed, state.Offset, Stream));
    }

    public void DropoutBackward(Tensor gradInput, Tensor gradOutput, Tensor mask, double p)
    {
        var device = Enter(gradInput);
        SameDevice(device, gradOutput, mask);
        Check(PstorchCuda.DropoutBackward(CudaOpCodes.Of(gradOutput.DType), gradInput.DataPointer, gradOutput.DataPointer, (byte*)mask.DataPointer,
            gradOutput.Numel(), p, Stream));
    }
}
