using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>2-d pooling over contiguous planes (pooling.cu); every gradient element is written, as IBackend asks.</summary>
internal sealed unsafe partial class CudaBackend
{
    static PstPool2dGeometry Native(in Pool2dGeometry g) => new()
    {
        Planes = g.Planes, InHeight = g.InHeight, InWidth = g.InWidth, OutHeight = g.OutHeight, OutWidth = g.OutWidth,
        KernelHeight = g.KernelHeight, KernelWidth = g.KernelWidth, StrideHeight = g.StrideHeight, StrideWidth = g.StrideWidth,
        PaddingHeight = g.PaddingHeight, PaddingWidth = g.PaddingWidth, DilationHeight = g.DilationHeight, DilationWidth = g.DilationWidth,
    };

    public void MaxPool2d(Tensor output, Tensor indices, Tensor input, in Pool2dGeometry g)
    {
        SameDevice(Enter(output), indices, input);
        var geometry = Native(g);
        Check(PstorchCuda.MaxPool2d(CudaOpCodes.Of(output.DType), output.DataPointer, (long*)indices.DataPointer, input.DataPointer, &geometry, Stream));
    }

    public void MaxPool2dBackward(Tensor gradInput, Tensor gradOutput, Tensor indices, in Pool2dGeometry g)
    {
        SameDevice(Enter(gradInput), gradOutput, indices);
        var geometry = Native(g);
        Check(PstorchCuda.MaxPool2dBackward(CudaOpCodes.Of(gradInput.DType), gradInput.DataPointer, gradOutput.DataPointer, (long*)indices.DataPointer,
            &geometry, Stream));
    }

    public void AvgPool2d(Tensor output, Tensor input, in Pool2dGeometry g, bool countIncludePad, long divisorOverride)
    {
        SameDevice(Enter(output), input);
        var geometry = Native(g);
        Check(PstorchCuda.AvgPool2d(CudaOpCodes.Of(output.DType), output.DataPointer, input.DataPointer, &geometry, countIncludePad ? 1 : 0,
            divisorOverride, Stream));
    }

    public void AvgPool2dBackward(Tensor gradInput, Tensor gradOutput, in Pool2dGeometry g, bool countIncludePad, long divisorOverride)
    {
        SameDevice(Enter(gradInput), gradOutput);
        var geometry = Native(g);
        Check(PstorchCuda.AvgPool2dBackward(CudaOpCodes.Of(gradInput.DType), gradInput.DataPointer, gradOutput.DataPointer, &geometry,
            countIncludePad ? 1 : 0, divisorOverride, Stream));
    }

    public void AdaptiveAvgPool2d(Tensor output, Tensor input, in Pool2dGeometry g)
    {
        SameDevice(Enter(output), input);
        var geometry = Native(g);
        Check(PstorchCuda.AdaptiveAvgPool2d(CudaOpCodes.Of(output.DType), output.DataPointer, input.DataPointer, &geometry, Stream));
    }

    public void AdaptiveAvgPool2dBackward(Tensor gradInput, Tensor gradOutput, in Pool2dGeometry g)
    {
        SameDevice(Enter(gradInput), gradOutput);
        var geometry = Native(g);
        Check(PstorchCuda.AdaptiveAvgPool2dBackward(CudaOpCodes.Of(gradInput.DType), gradInput.DataPointer, gradOutput.DataPointer, &geometry, Stream));
    }

    public void AdaptiveMaxPool2d(Tensor output, Tensor indices, Tensor input, in Pool2dGeometry g)
    {
        SameDevice(Enter(output), indices, input);
        var geometry = Native(g);
        Check(PstorchCuda.AdaptiveMaxPool2d(CudaOpCodes.Of(output.DType), output.DataPointer, (long*)indices.DataPointer, input.DataPointer, &geometry, Stream));
    }

    public void AdaptiveMaxPool2dBackward(Tensor gradInput, Tensor gradOutput, Tensor indices, in Pool2dGeometry g)
    {
        SameDevice(Enter(gradInput), gradOutput, indices);
        var geometry = Native(g);
        Check(PstorchCuda.AdaptiveMaxPool2dBackward(CudaOpCodes.Of(gradInput.DType), gradInput.DataPointer, gradOutput.DataPointer,
            (long*)indices.DataPointer, &geometry, Stream));
    }
}
