namespace PSTorch.NN;

/// <summary>The 1-d pools as the 2-d ones over an input with a height of 1 ([N, C, L] -> [N, C, 1, L]).</summary>
public static partial class Functional
{
    /// <summary>Window maxima over [N, C, L] or [C, L]; stride defaults to the kernel size.</summary>
    public static Tensor MaxPool1d(Tensor input, long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
    {
        CheckPool1dInput(input, "max_pool1d");
        return MaxPool2d(input.Unsqueeze(-2), [1, kernelSize], [1, stride ?? kernelSize], [0, padding], [1, dilation], ceilMode).Squeeze(-2);
    }

    /// <summary>Window means over [N, C, L] or [C, L]; countIncludePad counts the zero padding in the divisor.</summary>
    public static Tensor AvgPool1d(Tensor input, long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        CheckPool1dInput(input, "avg_pool1d");
        return AvgPool2d(input.Unsqueeze(-2), [1, kernelSize], [1, stride ?? kernelSize], [0, padding], ceilMode, countIncludePad).Squeeze(-2);
    }

    /// <summary>Means over windows that tile the last dim into outputSize values.</summary>
    public static Tensor AdaptiveAvgPool1d(Tensor input, long outputSize)
    {
        CheckPool1dInput(input, "adaptive_avg_pool1d");
        return AdaptiveAvgPool2d(input.Unsqueeze(-2), [1, outputSize]).Squeeze(-2);
    }

    /// <summary>Maxima over windows that tile the last dim into outputSize values.</summary>
    public static Tensor AdaptiveMaxPool1d(Tensor input, long outputSize)
    {
        var (values, indices) = AdaptiveMaxPool1dWithIndices(input, outputSize);
        indices.Dispose();
        return values;
    }

    /// <summary>adaptive_max_pool1d(..., return_indices=True): the maxima and their positions along the last dim.</summary>
    public static ValuesAndIndices AdaptiveMaxPool1dWithIndices(Tensor input, long outputSize)
    {
        if (input.NDim is not (2 or 3))
            throw new ArgumentException($"Expected 2 to 3 dimensions, but got {input.NDim}-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_max_pool1d)");
        for (int i = 1; i < input.NDim; i++)
            if (input.Size(i) == 0)
                throw new ArgumentException($"adaptive_max_pool1d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {Shapes.Format(input.ShapeRef)} with dimension {i} being empty");
        var (values, indices) = AdaptiveMaxPool2dWithIndices(input.Unsqueeze(-2), [1, outputSize]);
        using (values)
        using (indices)
            return new ValuesAndIndices(values.Squeeze(-2), indices.Squeeze(-2));
    }

    static void CheckPool1dInput(Tensor input, string op)
    {
        if (input.NDim is not (2 or 3)) throw new ArgumentException($"{op}() Expected 2D or 3D input tensor, but got {Shapes.Format(input.ShapeRef)}");
    }
}
