using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// conv1d/conv2d and their transposes (one op, as PyTorch's convolution): argument checks with PyTorch's
/// messages, the kernel call and the gradient for input, weight and bias (ConvolutionBackward0).
/// 1-d convolutions run as 2-d ones with a height of 1.
/// </summary>
internal static class Convolution
{
    /// <summary>
    /// padding: zeros added before each spatial dim; paddingEnd: zeros added after it (null: the same), which
    /// differs only for "same" with an even kernel. stride/padding/dilation/outputPadding hold one value per spatial dim.
    /// </summary>
    public static Tensor Apply(string function, Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[]? paddingEnd,
        long[] dilation, bool transposed, long[] outputPadding, long groups)
    {
        (input, weight, bias) = Amp.Autocast.Cast(function, input, weight, bias);
        int spatial = weight.NDim - 2;
        if (input.NDim == spatial + 1)
            return Apply(function, input.Unsqueeze(0), weight, bias, stride, padding, paddingEnd, dilation, transposed, outputPadding, groups).Squeeze(0);
        if (input.NDim != spatial + 2)
            throw new ArgumentException($"Expected {spatial + 1}D (unbatched) or {spatial + 2}D (batched) input to {function}, but got input of size: {Shapes.Format(input.ShapeRef)}");
        // a device mismatch is PyTorch's type error too; the backend is chosen from the input, and the CPU kernels would read device memory
        if (input.DType != weight.DType || input.Device != weight.Device)
            throw new InvalidOperationException($"Input type ({TypeName(input)}) and weight type ({TypeName(weight)}) should be the same or input should be a MKLDNN tensor and weight is a dense tensor");
        if (bias != null && (bias.DType != weight.DType || bias.Device != input.Device))
            throw new InvalidOperationException($"Input type ({TypeName(input)}) and bias type ({TypeName(bias)}) should be the same");
        if (groups <= 0) throw new ArgumentException("non-positive groups is not supported");
        for (int i = 0; i < spatial; i++)
        {
            if (stride[i] <= 0) throw new ArgumentException("non-positive stride is not supported");
            if (padding[i] < 0) throw new ArgumentException("negative padding is not supported");
            if (dilation[i] <= 0) throw new ArgumentException("dilation should be greater than zero");
        }
        var g = Geometry(input, weight, bias, stride, padding, paddingEnd ?? padding, dilation, transposed, outputPadding, groups);
        long[] outShape = transposed
            ? [g.Batch, g.InChannels, .. spatial == 2 ? new long[] { g.InHeight, g.InWidth } : [g.InWidth]]
            : [g.Batch, g.OutChannels, .. spatial == 2 ? new long[] { g.OutHeight, g.OutWidth } : [g.OutWidth]];

        Tensor x, w, y = Tensor.Empty(outShape, input.DType, input.Device);
        using (GradMode.Set(false))
        {
            // private contiguous views (or copies) of the operands: the node keeps them and disposes them after backward
            x = OwnContiguous(input);
            w = OwnContiguous(weight);
            var backend = Backend.For(input);
            if (y.Numel() > 0)
            {
                if (!transposed)
                {
                    using var b = bias == null ? null : OwnContiguous(bias);
                    backend.Conv2d(y, x, w, b, g);
                }
                else
                {
                    backend.Conv2dBackwardInput(y, x, w, g);
                    if (bias != null)
                    {
                        using var b = bias.Detach().View([g.InChannels, .. Enumerable.Repeat(1L, spatial)]);
                        y.Add_(b);
                    }
                }
            }
        }
        Tensor[] inputs = bias != null ? [input, weight, bias] : [input, weight];
        if (!Graph.ShouldRecord(inputs))
        {
            x.Dispose();
            w.Dispose();
            return y;
        }
        Graph.Record(y, "ConvolutionBackward0", inputs, [x, w], (gy, s, needs) =>
            {
                using var copy = gy.IsContiguous() ? null : gy.Contiguous();
                var gyc = copy ?? gy;
                var backend = Backend.For(gyc);
                Tensor? gx = null, gw = null;
                if (needs[0])
                {
                    gx = Tensor.Empty(s[0].ShapeRef, gy.DType, gy.Device);
                    if (!transposed) backend.Conv2dBackwardInput(gx, gyc, s[1], g);
                    else backend.Conv2d(gx, gyc, s[1], null, g);
                }
                Tensor? gb = inputs.Length == 3 && needs[2] ? Tensor.Empty([gy.Size(1)], gy.DType, gy.Device) : null;
                // the bias gradient is the output gradient's channel sums: the weight gradient's pass gives it too
                bool biasWithWeight = needs[1] && !transposed;
                if (needs[1])
                {
                    gw = Tensor.Empty(s[1].ShapeRef, gy.DType, gy.Device);
                    if (!transposed) backend.Conv2dBackwardWeight(gw, gb, gyc, s[0], g);
                    else backend.Conv2dBackwardWeight(gw, null, s[0], gyc, g);
                }
                if (inputs.Length == 2) return [gx, gw];
                if (gb != null && !biasWithWeight) backend.Conv2dBackwardBias(gb, gyc);
                return [gx, gw, gb];
            }, ownsSaved: true);
        return y;
    }

    /// <summary>A contiguous tensor object of <paramref name="t"/>'s values that no one else holds (a detached view or a copy).</summary>
    internal static Tensor OwnContiguous(Tensor t)
    {
        var view = t.Detach();
        if (view.IsContiguous()) return view;
        using (view) return view.Contiguous();
    }

    static string TypeName(Tensor t) => $"torch.{(t.IsCuda ? "cuda." : "")}{t.DType.LegacyName()}Tensor";

    /// <summary>
    /// The 2-d convolution the op runs. For a transposed convolution that is the convolution whose input gradient
    /// the transpose computes: its "input" is the transpose's output and its "output" the transpose's input.
    /// </summary>
    static Conv2dGeometry Geometry(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padBegin, long[] padEnd,
        long[] dilation, bool transposed, long[] outputPadding, long groups)
    {
        int spatial = weight.NDim - 2;
        var inShape = input.ShapeRef; var wShape = weight.ShapeRef;
        long channels = inShape[1];
        long expected = transposed ? wShape[0] : wShape[1] * groups;
        if (channels != expected)
            throw new ArgumentException(transposed
                ? $"Given transposed=1, weight of size {Shapes.Format(wShape)}, expected input{Shapes.Format(inShape)} to have {expected} channels, but got {channels} channels instead"
                : $"Given groups={groups}, weight of size {Shapes.Format(wShape)}, expected input{Shapes.Format(inShape)} to have {expected} channels, but got {channels} channels instead");
        if (wShape[0] % groups != 0)
            throw new ArgumentException($"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size {Shapes.Format(wShape)} instead");
        long outChannels = transposed ? wShape[1] * groups : wShape[0];
        if (bias != null && (bias.NDim != 1 || bias.Size(0) != outChannels))
            throw new ArgumentException($"Given weight of size {Shapes.Format(wShape)}, expected bias to be 1-dimensional with {outChannels} elements, but got bias of size {Shapes.Format(bias.ShapeRef)} instead");

        // Spatial sizes as (height, width); a 1-d convolution has height 1 and no padding along it.
        long[] size = spatial == 2 ? [inShape[2], inShape[3]] : [1, inShape[2]];
        long[] kernel = spatial == 2 ? [wShape[2], wShape[3]] : [1, wShape[2]];
        long[] Pair(long[] v, long one) => spatial == 2 ? v : [one, v[0]];
        long[] s = Pair(stride, 1), p0 = Pair(padBegin, 0), p1 = Pair(padEnd, 0), d = Pair(dilation, 1), op = Pair(outputPadding, 0);
        var other = new long[2];
        for (int i = 0; i < 2; i++)
        {
            long dilatedKernel = d[i] * (kernel[i] - 1) + 1;
            if (transposed)
            {
                if (op[i] >= s[i] && op[i] >= d[i])
                    throw new ArgumentException(spatial == 2
                        ? $"output padding must be smaller than either stride or dilation, but got output_padding_height: {op[0]} output_padding_width: {op[1]} stride_height: {s[0]} stride_width: {s[1]} dilation_height: {d[0]} dilation_width: {d[1]}"
                        : $"output padding must be smaller than either stride or dilation, but got output_padding: {op[1]} stride: {s[1]} dilation: {d[1]}");
                other[i] = (size[i] - 1) * s[i] - p0[i] - p1[i] + dilatedKernel + op[i];
                if (other[i] <= 0)
                    throw new ArgumentException($"Given input size per channel: ({string.Join(" x ", size[(2 - spatial)..])}). Calculated output size per channel: ({string.Join(" x ", Enumerable.Range(2 - spatial, spatial).Select(j => (size[j] - 1) * s[j] - p0[j] - p1[j] + d[j] * (kernel[j] - 1) + 1 + op[j]))}). Output size is too small");
            }
            else
            {
                long padded = size[i] + p0[i] + p1[i];
                if (padded < dilatedKernel)
                    throw new ArgumentException($"Calculated padded input size per channel: ({string.Join(" x ", Enumerable.Range(2 - spatial, spatial).Select(j => size[j] + p0[j] + p1[j]))}). Kernel size: ({string.Join(" x ", Enumerable.Range(2 - spatial, spatial).Select(j => d[j] * (kernel[j] - 1) + 1))}). Kernel size can't be greater than actual input size");
                other[i] = (padded - dilatedKernel) / s[i] + 1;
            }
        }
        // The convolution run: (input, output) = (x, y) or, transposed, (y, x).
        long[] convIn = transposed ? other : size, convOut = transposed ? size : other;
        long convInChannels = transposed ? outChannels : channels, convOutChannels = transposed ? channels : outChannels;
        return new Conv2dGeometry(checked((int)inShape[0]), checked((int)convInChannels), checked((int)convIn[0]), checked((int)convIn[1]),
            checked((int)convOutChannels), checked((int)convOut[0]), checked((int)convOut[1]), (int)kernel[0], (int)kernel[1], (int)s[0], (int)s[1],
            (int)p0[0], (int)p0[1], (int)d[0], (int)d[1], (int)groups);
    }
}
