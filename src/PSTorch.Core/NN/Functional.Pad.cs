namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>
    /// torch.nn.functional.pad: pad holds (left, right) pairs starting from the last dim ([l, r] pads the last dim,
    /// [l, r, t, b] the last two). mode "constant" fills with value (negative pads crop) and pads any dims; "reflect",
    /// "replicate" and "circular" pad the last 1, 2 or 3 dims of a (batched) input by mirroring, repeating the edge
    /// or wrapping around.
    /// </summary>
    public static Tensor Pad(Tensor input, long[] pad, string mode = "constant", double? value = null)
    {
        if (pad.Length % 2 != 0) throw new ArgumentException("Padding length must be divisible by 2");
        if (pad.Length / 2 > input.NDim)
            throw new ArgumentException($"Padding length should be less than or equal to two times the input dimension but got padding length {pad.Length} and input of dimension {input.NDim}");
        if (mode == "constant") return ConstantPad(input, pad, value ?? 0);
        if (mode is not ("reflect" or "replicate" or "circular"))
            throw new ArgumentException($"Unrecognised padding mode {mode}");
        if (value is { } v && v != 0) throw new ArgumentException($"Padding mode \"{mode}\" doesn't take in value argument");
        int padded = pad.Length / 2;
        if (padded is < 1 or > 3 || input.NDim != padded + 1 && input.NDim != padded + 2)
            throw new ArgumentException("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
        var output = input;
        for (int i = 0; i < padded; i++)
        {
            int dim = input.NDim - 1 - i;
            long before = pad[2 * i], after = pad[2 * i + 1], size = input.Size(dim);
            CheckIndexPadding(mode, before, after, size, dim, input);
            var source = new long[size + before + after];
            for (long o = 0; o < source.Length; o++) source[o] = SourceIndex(mode, o - before, size);
            output = output.IndexSelect(dim, Torch.FromArray(source).To(input.Device));
        }
        return output;
    }

    static void CheckIndexPadding(string mode, long before, long after, long size, int dim, Tensor input)
    {
        if (size + before + after <= 0 || size == 0)
            throw new ArgumentException($"input tensor with shape {Shapes.Format(input.ShapeRef)} and padding ({before}, {after}) at dimension {dim} gives an empty output");
        if (mode == "reflect" && (before >= size || after >= size))
            throw new ArgumentException($"Argument #4: Padding size should be less than the corresponding input dimension, but got: padding ({before}, {after}) at dimension {dim} of input {Shapes.Format(input.ShapeRef)}");
        if (mode == "circular" && (before > size || after > size))
            throw new ArgumentException("Padding value causes wrapping around more than once.");
    }

    /// <summary>The input position that output position i (input coordinates: i &lt; 0 or i >= size lie in the padding) copies.</summary>
    static long SourceIndex(string mode, long i, long size) => mode switch
    {
        "reflect" => i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i,
        "replicate" => Math.Clamp(i, 0, size - 1),
        _ => ((i % size) + size) % size,
    };

    /// <summary>Constant padding of any dims: a negative pad crops (Narrow), a positive one concatenates a filled block.</summary>
    static Tensor ConstantPad(Tensor input, long[] pad, double value)
    {
        var output = input;
        for (int i = 0; i < pad.Length / 2; i++)
        {
            int dim = input.NDim - 1 - i;
            long before = pad[2 * i], after = pad[2 * i + 1], size = input.Size(dim);
            if (size + before + after < 0)
                throw new ArgumentException($"The input size {size}, plus negative padding {before} and {after} resulted in a negative output size, which is invalid. Check dimension {dim} of your input.");
            long cropBefore = Math.Max(-before, 0), cropAfter = Math.Max(-after, 0);
            if (cropBefore + cropAfter > 0) output = output.Narrow(dim, Math.Min(cropBefore, size), Math.Max(size - cropBefore - cropAfter, 0));
            if (before <= 0 && after <= 0) continue;
            var parts = new List<Tensor>(3);
            if (before > 0) parts.Add(Filled(output, dim, before, value));
            parts.Add(output);
            if (after > 0) parts.Add(Filled(output, dim, after, value));
            output = Torch.Cat(parts.ToArray(), dim);
        }
        return output;
    }

    static Tensor Filled(Tensor like, int dim, long length, double value)
    {
        var shape = like.Shape;
        shape[dim] = length;
        return Torch.Full(shape, value, like.DType, like.Device);
    }
}
