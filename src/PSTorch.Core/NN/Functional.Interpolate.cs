namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>
    /// torch.nn.functional.interpolate over the spatial dims (all after [N, C]) to size or by scaleFactor (one value
    /// for every spatial dim, or one each). mode "nearest" copies the pixel at floor(out * in / out_size); "linear"
    /// (3-d input) and "bilinear" (4-d input) blend the two nearest pixels of each spatial dim in turn, which is the
    /// bilinear interpolation since it is separable. alignCorners maps the corner pixels' centres onto each other.
    /// </summary>
    public static Tensor Interpolate(Tensor input, long[]? size = null, double[]? scaleFactor = null, string mode = "nearest", bool? alignCorners = null)
    {
        int spatial = input.NDim - 2;
        if (mode is not ("nearest" or "linear" or "bilinear"))
            throw new ArgumentException($"Unsupported interpolation mode {mode}: PSTorch has nearest, linear and bilinear");
        if (mode == "nearest" && alignCorners != null)
            throw new ArgumentException("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
        if (spatial < 1 || spatial > 3) throw new ArgumentException($"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.NDim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got {mode})");
        if (mode == "linear" && input.NDim != 3) throw new ArgumentException($"Got {input.NDim}D input, but linear mode needs 3D input");
        if (mode == "bilinear" && input.NDim != 4) throw new ArgumentException($"Got {input.NDim}D input, but bilinear mode needs 4D input");
        if (size != null && scaleFactor != null) throw new ArgumentException("only one of size or scale_factor should be defined");
        if (size == null && scaleFactor == null) throw new ArgumentException("either size or scale_factor should be defined");
        var sizes = size != null ? PerSpatialDim(size, spatial, "size") : null;
        var scales = scaleFactor != null ? PerSpatialDim(scaleFactor, spatial, "scale_factor") : null;
        var output = input;
        for (int i = 0; i < spatial; i++)
        {
            int dim = 2 + i;
            long inSize = input.Size(dim);
            long outSize = sizes?[i] ?? (long)Math.Floor(inSize * scales![i]);
            if (outSize <= 0) throw new ArgumentException($"Input and output sizes should be greater than 0, but got input ({inSize}) and output ({outSize})");
            // PyTorch's scale: 1 / scale_factor when one was given, else in / out
            double scale = scales != null ? 1 / scales[i] : (double)inSize / outSize;
            output = mode == "nearest"
                ? output.IndexSelect(dim, Positions(outSize, o => Math.Min((long)Math.Floor(o * scale), inSize - 1), input.Device))
                : LinearAlong(output, dim, inSize, outSize, alignCorners ?? false, scale);
        }
        return output;
    }

    static T[] PerSpatialDim<T>(T[] values, int spatial, string name)
    {
        if (values.Length == 1) return Enumerable.Repeat(values[0], spatial).ToArray();
        if (values.Length != spatial)
            throw new ArgumentException($"Input and {name} must have the same number of spatial dimensions, but got input with spatial dimensions of [{spatial}] and output {name} of {values.Length} values.");
        return values;
    }

    /// <summary>Linear interpolation along one dim: (1 - lambda) * x[i0] + lambda * x[i1] with PyTorch's source coordinates.</summary>
    static Tensor LinearAlong(Tensor x, int dim, long inSize, long outSize, bool alignCorners, double scale)
    {
        var source = new double[outSize];
        for (long o = 0; o < outSize; o++)
            source[o] = alignCorners
                ? outSize > 1 ? o * (double)(inSize - 1) / (outSize - 1) : 0
                : Math.Max((o + 0.5) * scale - 0.5, 0);
        var lower = Positions(outSize, o => Math.Min((long)Math.Floor(source[o]), inSize - 1), x.Device);
        var upper = Positions(outSize, o => Math.Min((long)Math.Floor(source[o]) + 1, inSize - 1), x.Device);
        var lambdaValues = source.Select(s => s - Math.Min(Math.Floor(s), inSize - 1)).ToArray();
        long[] lambdaShape = [outSize, .. Enumerable.Repeat(1L, x.NDim - dim - 1)];
        var lambda = Torch.FromArray(lambdaValues, lambdaShape).To(x.DType).To(x.Device);
        return x.IndexSelect(dim, lower) * (1 - lambda) + x.IndexSelect(dim, upper) * lambda;
    }

    static Tensor Positions(long count, Func<long, long> position, Device device)
    {
        var values = new long[count];
        for (long o = 0; o < count; o++) values[o] = position(o);
        return Torch.FromArray(values).To(device);
    }
}
