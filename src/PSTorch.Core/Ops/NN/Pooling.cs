using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>2-d max, average and adaptive average and max pooling over [N, C, H, W] or [C, H, W]: checks, kernel calls, gradients.</summary>
internal static class Pooling
{
    public static ValuesAndIndices MaxPool2d(Tensor input, long[] kernel, long[] stride, long[] padding, long[] dilation, bool ceilMode)
    {
        CheckParameters(kernel, stride, dilation);
        for (int i = 0; i < 2; i++)
            if (padding[i] > (dilation[i] * (kernel[i] - 1) + 1) / 2)
                throw new ArgumentException($"pad should be at most half of effective kernel size, but got pad={padding[i]}, kernel_size={kernel[i]} and dilation={dilation[i]}");
        var g = Geometry(input, kernel, stride, padding, dilation, ceilMode);
        var shape = OutputShape(input, g);
        var y = Tensor.Empty(shape, input.DType, input.Device);
        var indices = Tensor.Empty(shape, DType.Int64, input.Device);
        if (y.Numel() > 0)
            using (var x = Contiguous(input))
                Backend.For(input).MaxPool2d(y, indices, x, g);
        if (Graph.ShouldRecord(input))
        {
            var inShape = input.Shape;
            // the node's own claim on the indices: the caller may dispose the tensor it gets back
            Graph.Record(y, "MaxPool2DWithIndicesBackward0", [input], [indices.Detach()], (gy, s, _) =>
            {
                var gx = Tensor.Empty(inShape, gy.DType, gy.Device);
                using var copy = gy.IsContiguous() ? null : gy.Contiguous();
                Backend.For(gy).MaxPool2dBackward(gx, copy ?? gy, s[0], g);
                return [gx];
            }, ownsSaved: true);
        }
        return new ValuesAndIndices(y, indices);
    }

    public static Tensor AvgPool2d(Tensor input, long[] kernel, long[] stride, long[] padding, bool ceilMode, bool countIncludePad, long? divisorOverride)
    {
        CheckParameters(kernel, stride, [1, 1]);
        for (int i = 0; i < 2; i++)
            if (padding[i] > kernel[i] / 2)
                throw new ArgumentException($"pad should be at most half of kernel size, but got pad={padding[i]} and kernel_size={kernel[i]}");
        if (divisorOverride == 0) throw new ArgumentException("divisor must be not zero");
        long divisor = divisorOverride ?? 0;
        var g = Geometry(input, kernel, stride, padding, [1, 1], ceilMode);
        var y = Tensor.Empty(OutputShape(input, g), input.DType, input.Device);
        if (y.Numel() > 0)
            using (var x = Contiguous(input))
                Backend.For(input).AvgPool2d(y, x, g, countIncludePad, divisor);
        if (Graph.ShouldRecord(input))
        {
            var inShape = input.Shape;
            Graph.Record(y, "AvgPool2DBackward0", [input], [], (gy, _, _) =>
            {
                var gx = Tensor.Empty(inShape, gy.DType, gy.Device);
                Backend.For(gy).AvgPool2dBackward(gx, gy.Contiguous(), g, countIncludePad, divisor);
                return [gx];
            });
        }
        return y;
    }

    public static Tensor AdaptiveAvgPool2d(Tensor input, long[] outputSize)
    {
        if (outputSize.Any(s => s < 0)) throw new ArgumentException("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0");
        CheckInput(input);
        for (int i = input.NDim - 2; i < input.NDim; i++)
            if (input.Size(i) == 0)
                throw new ArgumentException($"adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {Shapes.Format(input.ShapeRef)} with dimension {i} being empty");
        var shape = input.ShapeRef;
        int n = shape.Length;
        var g = new Pool2dGeometry(input.Numel() / (shape[n - 2] * shape[n - 1]), (int)shape[n - 2], (int)shape[n - 1], (int)outputSize[0], (int)outputSize[1], 0, 0, 0, 0, 0, 0, 1, 1);
        var y = Tensor.Empty(OutputShape(input, g), input.DType, input.Device);
        if (y.Numel() > 0)
            using (var x = Contiguous(input))
                Backend.For(input).AdaptiveAvgPool2d(y, x, g);
        if (Graph.ShouldRecord(input))
        {
            var inShape = input.Shape;
            Graph.Record(y, "AdaptiveAvgPool2DBackward0", [input], [], (gy, _, _) =>
            {
                var gx = Tensor.Empty(inShape, gy.DType, gy.Device);
                Backend.For(gy).AdaptiveAvgPool2dBackward(gx, gy.Contiguous(), g);
                return [gx];
            });
        }
        return y;
    }

    public static ValuesAndIndices AdaptiveMaxPool2d(Tensor input, long[] outputSize)
    {
        int n = input.NDim;
        if (n is not (3 or 4)) throw new ArgumentException($"adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: {Shapes.Format(input.ShapeRef)}");
        for (int i = 1; i < n; i++)
            if (input.Size(i) == 0)
                throw new ArgumentException($"adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {Shapes.Format(input.ShapeRef)} with dimension {i} being empty");
        var shape = input.Shape;
        shape[^2] = outputSize[0];
        shape[^1] = outputSize[1];
        if (outputSize.FirstOrDefault(s => s < 0) is var negative and < 0)
            throw new ArgumentException($"Trying to create tensor with negative dimension {negative}: {Shapes.Format(shape)}");
        var g = new Pool2dGeometry(input.Numel() / (input.Size(-2) * input.Size(-1)), (int)input.Size(-2), (int)input.Size(-1), (int)outputSize[0], (int)outputSize[1], 0, 0, 0, 0, 0, 0, 1, 1);
        var y = Tensor.Empty(shape, input.DType, input.Device);
        var indices = Tensor.Empty(shape, DType.Int64, input.Device);
        if (y.Numel() > 0)
            using (var x = Contiguous(input))
                Backend.For(input).AdaptiveMaxPool2d(y, indices, x, g);
        if (Graph.ShouldRecord(input))
        {
            var inShape = input.Shape;
            // the node's own claim on the indices: the caller may dispose the tensor it gets back
            Graph.Record(y, "AdaptiveMaxPool2DBackward0", [input], [indices.Detach()], (gy, s, _) =>
            {
                var gx = Tensor.Empty(inShape, gy.DType, gy.Device);
                using var copy = gy.IsContiguous() ? null : gy.Contiguous();
                Backend.For(gy).AdaptiveMaxPool2dBackward(gx, copy ?? gy, s[0], g);
                return [gx];
            }, ownsSaved: true);
        }
        return new ValuesAndIndices(y, indices);
    }

    /// <summary>A contiguous tensor object of the input's values for the kernel alone (dispose it after the call).</summary>
    static Tensor Contiguous(Tensor input)
    {
        var view = input.Detach();
        if (view.IsContiguous()) return view;
        using (view) return view.Contiguous();
    }

    static void CheckInput(Tensor input)
    {
        bool validDims = (input.NDim == 3 && input.Size(1) != 0 && input.Size(2) != 0) ||
            (input.NDim == 4 && input.Size(1) != 0 && input.Size(2) != 0 && input.Size(3) != 0);
        if (!validDims) throw new ArgumentException($"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got: {Shapes.Format(input.ShapeRef)}");
    }

    static void CheckParameters(long[] kernel, long[] stride, long[] dilation)
    {
        if (kernel[0] <= 0 || kernel[1] <= 0) throw new ArgumentException($"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[1]}");
        if (stride[0] <= 0 || stride[1] <= 0) throw new ArgumentException($"stride should be greater than zero, but got dH: {stride[0]} dW: {stride[1]}");
        if (dilation[0] <= 0 || dilation[1] <= 0) throw new ArgumentException($"dilation should be greater than zero, but got dilationH: {dilation[0]} dilationW: {dilation[1]}");
    }

    /// <summary>PyTorch's pooling_output_shape: floor or ceil, where a ceil window must start inside the input or the left padding.</summary>
    static long OutputSize(long size, long kernel, long pad, long stride, long dilation, bool ceilMode)
    {
        long numerator = size + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        long output = (long)Math.Floor((double)numerator / stride) + 1;
        if (ceilMode && (output - 1) * stride >= size + pad) output--;
        return output;
    }

    static Pool2dGeometry Geometry(Tensor input, long[] kernel, long[] stride, long[] padding, long[] dilation, bool ceilMode)
    {
        CheckInput(input);
        var shape = input.ShapeRef;
        int n = shape.Length;
        long h = shape[n - 2], w = shape[n - 1];
        long oh = OutputSize(h, kernel[0], padding[0], stride[0], dilation[0], ceilMode);
        long ow = OutputSize(w, kernel[1], padding[1], stride[1], dilation[1], ceilMode);
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"Given input size: ({shape[n - 3]}x{h}x{w}). Calculated output size: ({shape[n - 3]}x{oh}x{ow}). Output size is too small");
        return new Pool2dGeometry(input.Numel() / (h * w), (int)h, (int)w, (int)oh, (int)ow, (int)kernel[0], (int)kernel[1],
            (int)stride[0], (int)stride[1], (int)padding[0], (int)padding[1], (int)dilation[0], (int)dilation[1]);
    }

    static long[] OutputShape(Tensor input, in Pool2dGeometry g)
    {
        var shape = input.Shape;
        shape[^2] = g.OutHeight;
        shape[^1] = g.OutWidth;
        return shape;
    }
}
