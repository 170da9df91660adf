using System.Numerics;
using System.Numerics.Tensors;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// TensorPrimitives' tanh and sinh lose their relative precision near 0 (they subtract from 1): float tanh(1e-30)
/// comes out as -6e-8 and tanh(1e-5) 0.5 % off, double keeps 8 digits at 1e-10. Their odd Taylor series is exact
/// there, so the span kernels recompute the elements below a bound with it (the series' remainder at the bound is
/// far below the dtype's last bit; above it TensorPrimitives is within a few ulp).
/// </summary>
internal static class SmallArgumentSeries
{
    /// <summary>tanh's coefficients of x, x^3, x^5, ...: 1, -1/3, 2/15, -17/315, ... (the next, 6404582/10854718875, is the remainder's).</summary>
    static readonly double[] TanhSeries = [1, -1.0 / 3, 2.0 / 15, -17.0 / 315, 62.0 / 2835, -1382.0 / 155925, 21844.0 / 6081075, -929569.0 / 638512875];

    /// <summary>sinh's: 1 / (2k + 1)!.</summary>
    static readonly double[] SinhSeries = [1, 1.0 / 6, 1.0 / 120, 1.0 / 5040, 1.0 / 362880, 1.0 / 39916800, 1.0 / 6227020800, 1.0 / 1307674368000];

    /// <summary>Elements per block: TensorPrimitives' pass and the patch run on one block while it is in cache.</summary>
    const int Block = 512;

    /// <summary>tanh over spans; below 0.3 (float) or 0.1 (double) from its series, whose remainder there is 1e-12 or 1e-19 relative.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
        Blockwise(x, d, T.CreateTruncating(typeof(T) == typeof(double) ? 0.1 : 0.3), TanhSeries, static (a, b) => TensorPrimitives.Tanh(a, b));

    /// <summary>sinh over spans; below 0.5 from its series, whose remainder there is 4e-20 relative.</summary>
    public static void Sinh<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
        Blockwise(x, d, T.CreateTruncating(0.5), SinhSeries, static (a, b) => TensorPrimitives.Sinh(a, b));

    /// <summary>
    /// Each block's arguments are copied aside first: in-place ops pass d over the same memory as x, and the patch must
    /// read the arguments, not the function values just written over them.
    /// </summary>
    static void Blockwise<T>(ReadOnlySpan<T> x, Span<T> d, T bound, double[] series, SpanFunction<T> function) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> arguments = stackalloc T[Block];
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            var block = arguments[..n];
            x.Slice(start, n).CopyTo(block);
            var results = d.Slice(start, n);
            function(block, results);
            Patch(block, results, bound, series);
        }
    }

    delegate void SpanFunction<T>(ReadOnlySpan<T> x, Span<T> d);

    static void Patch<T>(ReadOnlySpan<T> x, Span<T> d, T bound, double[] series) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var limit = new Vector<T>(bound);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(x[i..]);
                var small = Vector.LessThan(Vector.Abs(v), limit);
                if (Vector.EqualsAll(small, Vector<T>.Zero)) continue;
                var z = v * v;
                var sum = new Vector<T>(T.CreateTruncating(series[^1]));
                for (int k = series.Length - 2; k >= 0; k--) sum = sum * z + new Vector<T>(T.CreateTruncating(series[k]));
                Vector.ConditionalSelect(small, sum * v, new Vector<T>(d[i..])).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++)
        {
            if (!(T.Abs(x[i]) < bound)) continue;
            T z = x[i] * x[i], sum = T.CreateTruncating(series[^1]);
            for (int k = series.Length - 2; k >= 0; k--) sum = sum * z + T.CreateTruncating(series[k]);
            d[i] = sum * x[i];
        }
    }
}
