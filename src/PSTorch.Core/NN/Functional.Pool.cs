using PSTorch.Ops;

namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>Window maxima over [N, C, H, W] or [C, H, W]; stride defaults to the kernel size.</summary>
    public static Tensor MaxPool2d(Tensor input, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceilMode = false)
    {
        var (values, indices) = MaxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
        // The graph keeps its own claim on the indices: release this one now rather than at a finalizer.
        indices.Dispose();
        return values;
    }

    /// <summary>max_pool2d(..., return_indices=True): the maxima and their flat positions h * W + w in each input plane.</summary>
    public static ValuesAndIndices MaxPool2dWithIndices(Tensor input, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceilMode = false)
    {
        var k = PoolPair(kernelSize, "kernel_size");
        return Pooling.MaxPool2d(input, k, stride == null || stride.Length == 0 ? k : PoolPair(stride, "stride"),
            padding == null ? [0, 0] : PoolPair(padding, "padding"), dilation == null ? [1, 1] : PoolPair(dilation, "dilation"), ceilMode);
    }

    /// <summary>Window means; countIncludePad counts the zero padding in the divisor; divisorOverride replaces the divisor.</summary>
    public static Tensor AvgPool2d(Tensor input, long[] kernelSize, long[]? stride = null, long[]? padding = null, bool ceilMode = false,
        bool countIncludePad = true, long? divisorOverride = null)
    {
        var k = PoolPair(kernelSize, "kernel_size");
        return Pooling.AvgPool2d(input, k, stride == null || stride.Length == 0 ? k : PoolPair(stride, "stride"),
            padding == null ? [0, 0] : PoolPair(padding, "padding"), ceilMode, countIncludePad, divisorOverride);
    }

    /// <summary>Means over windows that tile the input into an output of <paramref name="outputSize"/> (one value: square).</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, long[] outputSize) =>
        Pooling.AdaptiveAvgPool2d(input, PoolPair(outputSize, "output_size"));

    /// <summary>Maxima over windows that tile the input into an output of <paramref name="outputSize"/> (one value: square; null: the input's size).</summary>
    public static Tensor AdaptiveMaxPool2d(Tensor input, long?[] outputSize)
    {
        var (values, indices) = AdaptiveMaxPool2dWithIndices(input, outputSize);
        // The graph keeps its own claim on the indices: release this one now rather than at a finalizer.
        indices.Dispose();
        return values;
    }

    /// <summary>adaptive_max_pool2d(..., return_indices=True): the maxima and their flat positions h * W + w in each input plane.</summary>
    public static ValuesAndIndices AdaptiveMaxPool2dWithIndices(Tensor input, long?[] outputSize)
    {
        long?[] pair = outputSize.Length switch
        {
            1 => [outputSize[0], outputSize[0]],
            2 => outputSize,
            _ => throw new ArgumentException("output_size must either be a single int, or a tuple of two ints"),
        };
        // PyTorch's _list_with_default: a tuple needs a dim before the two it sizes; None keeps that dim's size
        if ((outputSize.Length == 2 || pair.Contains(null)) && input.NDim <= 2) throw new ArgumentException("Input dimension should be at least 3");
        long Resolve(int i) => pair[i] ?? input.Size(i - 2);
        return Pooling.AdaptiveMaxPool2d(input, [Resolve(0), Resolve(1)]);
    }

    static long[] PoolPair(long[] values, string name) => values.Length switch
    {
        1 => [values[0], values[0]],
        2 => values,
        _ => throw new ArgumentException($"{name} must either be a single int, or a tuple of two ints"),
    };
}
