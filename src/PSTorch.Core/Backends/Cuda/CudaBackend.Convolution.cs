using PSTorch.Cuda.Bindings;
using PSTorch.Ops;

namespace PSTorch.Backends.Cuda;

/// <summary>
/// 2-d convolution as im2col/col2im (conv.cu) + cuBLAS, group by group over chunks of images: the unfolded input of
/// a chunk is one [images, patch, plane] buffer and each product is one strided batched GEMM with the weight shared
/// (batch stride 0). All tensors are contiguous, as IBackend guarantees.
/// </summary>
internal sealed unsafe partial class CudaBackend
{
    /// <summary>Elements of unfolded input held at once; a batch whose unfolding is larger goes through in chunks of images.</summary>
    const long MaxUnfoldedElements = 64L << 20;

    static PstConv2dGeometry Native(in Conv2dGeometry g) => new()
    {
        Channels = g.InChannelsPerGroup, InHeight = g.InHeight, InWidth = g.InWidth, OutHeight = g.OutHeight, OutWidth = g.OutWidth,
        KernelHeight = g.KernelHeight, KernelWidth = g.KernelWidth, StrideHeight = g.StrideHeight, StrideWidth = g.StrideWidth,
        PaddingHeight = g.PaddingHeight, PaddingWidth = g.PaddingWidth, DilationHeight = g.DilationHeight, DilationWidth = g.DilationWidth,
    };

    /// <summary>A buffer for the unfolded input of <paramref name="chunk"/> images, as many as fit <see cref="MaxUnfoldedElements"/>.</summary>
    static Tensor UnfoldBuffer(in Conv2dGeometry g, DType dtype, Device device, out int chunk)
    {
        long perImage = Math.Max(1L * g.PatchSize * g.OutPlane, 1);
        chunk = (int)Math.Clamp(MaxUnfoldedElements / perImage, 1, Math.Max(g.Batch, 1));
        return Tensor.Empty([chunk * perImage], dtype, device);
    }

    /// <summary>Element offset of image <paramref name="image"/>'s input channels of <paramref name="group"/>.</summary>
    static long InputOffset(in Conv2dGeometry g, int image, int group) =>
        ((long)image * g.InChannels + (long)group * g.InChannelsPerGroup) * g.InPlane;

    /// <summary>Element offset of image <paramref name="image"/>'s output channels of <paramref name="group"/>.</summary>
    static long OutputOffset(in Conv2dGeometry g, int image, int group) =>
        ((long)image * g.OutChannels + (long)group * g.OutChannelsPerGroup) * g.OutPlane;

    /// <summary>Element offset of <paramref name="group"/>'s filters, [OutChannelsPerGroup, PatchSize] in the weight.</summary>
    static long WeightOffset(in Conv2dGeometry g, int group) => (long)group * g.OutChannelsPerGroup * g.PatchSize;

    /// <summary>col[n] = im2col of <paramref name="group"/>'s channels for images first .. first + images - 1.</summary>
    static void Unfold(Tensor col, Tensor input, in Conv2dGeometry g, PstConv2dGeometry* geometry, int first, int images, int group)
    {
        byte* x = (byte*)input.DataPointer + InputOffset(g, first, group) * input.DType.ElementSize();
        Check(PstorchCuda.Im2col(CudaOpCodes.Of(input.DType), col.DataPointer, x, geometry, images, (long)g.InChannels * g.InPlane,
            (long)g.PatchSize * g.OutPlane, Stream));
    }

    public void Conv2d(Tensor output, Tensor input, Tensor weight, Tensor? bias, in Conv2dGeometry g)
    {
        var device = Enter(output);
        SameDevice(device, input, weight, bias);
        var geometry = Native(g);
        var dtype = CudaOpCodes.Of(output.DType);
        int size = output.DType.ElementSize(), k = g.PatchSize, plane = g.OutPlane, cout = g.OutChannelsPerGroup;
        byte* w = (byte*)weight.DataPointer, y = (byte*)output.DataPointer;
        using var col = UnfoldBuffer(g, output.DType, device, out int chunk);
        for (int first = 0; first < g.Batch; first += chunk)
        {
            int images = Math.Min(chunk, g.Batch - first);
            for (int group = 0; group < g.Groups; group++)
            {
                Unfold(col, input, g, &geometry, first, images, group);
                // y[n, group] [cout, plane] = W_g [cout, k] @ col[n] [k, plane]
                Check(PstorchCuda.GemmStridedBatched(dtype, 0, 0, cout, plane, k, 1.0, w + WeightOffset(g, group) * size, k, 0,
                    col.DataPointer, plane, (long)k * plane, 0.0, y + OutputOffset(g, first, group) * size, plane, (long)g.OutChannels * plane,
                    images, Stream));
            }
        }
        if (bias != null)
        {
            // + bias[c], broadcast over images and positions; conv1d's output is [N, C, W] (3 dims), conv2d's [N, C, H, W]
            var strides = new long[output.NDim];
            strides[1] = 1;
            using var expanded = bias.AsStridedView(output.Shape, strides, bias.StorageOffset);
            Binary(BinaryOp.Add, output, output, expanded);
        }
    }

    public void Conv2dBackwardInput(Tensor gradInput, Tensor gradOutput, Tensor weight, in Conv2dGeometry g)
    {
        var device = Enter(gradInput);
        SameDevice(device, gradOutput, weight);
        var geometry = Native(g);
        var dtype = CudaOpCodes.Of(gradInput.DType);
        int size = gradInput.DType.ElementSize(), k = g.PatchSize, plane = g.OutPlane, cout = g.OutChannelsPerGroup;
        byte* gx = (byte*)gradInput.DataPointer, gy = (byte*)gradOutput.DataPointer, w = (byte*)weight.DataPointer;
        using var col = UnfoldBuffer(g, gradInput.DType, device, out int chunk);
        for (int first = 0; first < g.Batch; first += chunk)
        {
            int images = Math.Min(chunk, g.Batch - first);
            for (int group = 0; group < g.Groups; group++)
            {
                // col[n] [k, plane] = W_g^T [k, cout] @ gy[n, group] [cout, plane]
                Check(PstorchCuda.GemmStridedBatched(dtype, 1, 0, k, plane, cout, 1.0, w + WeightOffset(g, group) * size, k, 0,
                    gy + OutputOffset(g, first, group) * size, plane, (long)g.OutChannels * plane, 0.0, col.DataPointer, plane, (long)k * plane,
                    images, Stream));
                // col2im writes every element of the group's input gradient (no zero-fill needed)
                Check(PstorchCuda.Col2im(dtype, gx + InputOffset(g, first, group) * size, col.DataPointer, &geometry, images,
                    (long)g.InChannels * g.InPlane, (long)k * plane, Stream));
            }
        }
    }

    public void Conv2dBackwardWeight(Tensor gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, in Conv2dGeometry g)
    {
        if (gradBias != null) Conv2dBackwardBias(gradBias, gradOutput);
        var device = Enter(gradWeight);
        SameDevice(device, gradOutput, input);
        var geometry = Native(g);
        var dtype = CudaOpCodes.Of(gradWeight.DType);
        int size = gradWeight.DType.ElementSize(), k = g.PatchSize, plane = g.OutPlane, cout = g.OutChannelsPerGroup;
        byte* gw = (byte*)gradWeight.DataPointer, gy = (byte*)gradOutput.DataPointer;
        if (g.Batch == 0) Fill(gradWeight, 0);
        using var col = UnfoldBuffer(g, gradWeight.DType, device, out int chunk);
        for (int first = 0; first < g.Batch; first += chunk)
        {
            int images = Math.Min(chunk, g.Batch - first);
            for (int group = 0; group < g.Groups; group++)
            {
                Unfold(col, input, g, &geometry, first, images, group);
                // gW_g [cout, k] (+)= gy[n, group] [cout, plane] @ col[n]^T [plane, k], image by image in order
                for (int n = 0; n < images; n++)
                    Check(PstorchCuda.GemmStridedBatched(dtype, 0, 1, cout, k, plane, 1.0, gy + OutputOffset(g, first + n, group) * size, plane, 0,
                        (byte*)col.DataPointer + (long)n * k * plane * size, plane, 0, first + n == 0 ? 0.0 : 1.0,
                        gw + WeightOffset(g, group) * size, k, 0, 1, Stream));
            }
        }
    }

    public void Conv2dBackwardBias(Tensor gradBias, Tensor gradOutput)
    {
        SameDevice(Enter(gradBias), gradOutput);
        var shape = gradOutput.ShapeRef;
        long batch = shape[0], channels = shape[1];
        long plane = gradOutput.Numel() / Math.Max(batch * channels, 1);
        Check(PstorchCuda.ChannelSum(CudaOpCodes.Of(gradBias.DType), gradBias.DataPointer, gradOutput.DataPointer, batch, channels, plane, Stream));
    }
}
