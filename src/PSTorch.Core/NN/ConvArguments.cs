using System.Collections;

namespace PSTorch.NN;

/// <summary>PyTorch's _single/_pair for size arguments, and the padding forms a convolution accepts.</summary>
internal static class ConvArguments
{
    /// <summary>One value per spatial dim: null gives <paramref name="fallback"/>, one value is repeated.</summary>
    public static long[] Expand(long[]? values, int dims, long fallback, string name)
    {
        if (values == null || values.Length == 0) return Enumerable.Repeat(fallback, dims).ToArray();
        if (values.Length == 1) return Enumerable.Repeat(values[0], dims).ToArray();
        if (values.Length != dims)
            throw new ArgumentException($"expected {name} to be a single integer value or a list of {dims} values to match the convolution dimensions, but got {name}=[{string.Join(", ", values)}]");
        return values;
    }

    /// <summary>An int, a list of ints (one per dim or one for all), or null.</summary>
    public static long[]? ToSizes(object? value) => value switch
    {
        null => null,
        long l => [l],
        int i => [i],
        long[] a => a,
        int[] a => a.Select(v => (long)v).ToArray(),
        string => throw new ArgumentException($"expected an integer or a list of integers, got '{value}'"),
        IEnumerable e => e.Cast<object>().Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        _ => [Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)],
    };

    /// <summary>
    /// Zeros before and after each spatial dim for <paramref name="padding"/>: an int, a list, "valid" (none) or
    /// "same" (the output keeps the input's size; any odd total puts the extra zero at the end, as PyTorch does).
    /// </summary>
    public static (long[] Begin, long[] End) Padding(object? padding, int dims, long[] kernel, long[] stride, long[] dilation)
    {
        if (padding is string mode)
        {
            if (mode == "valid") return (new long[dims], new long[dims]);
            if (mode != "same") throw new ArgumentException($"Invalid padding string '{mode}', should be one of {{'valid', 'same'}}");
            if (stride.Any(s => s != 1)) throw new ArgumentException("padding='same' is not supported for strided convolutions");
            var begin = new long[dims]; var end = new long[dims];
            for (int i = 0; i < dims; i++)
            {
                long total = dilation[i] * (kernel[i] - 1);
                begin[i] = total / 2;
                end[i] = total - begin[i];
            }
            return (begin, end);
        }
        var p = Expand(ToSizes(padding), dims, 0, "padding");
        return (p, p);
    }

    /// <summary>Python's tuple repr: (3,) or (3, 3).</summary>
    public static string Tuple(long[] values) => values.Length == 1 ? $"({values[0]},)" : $"({string.Join(", ", values)})";
}
