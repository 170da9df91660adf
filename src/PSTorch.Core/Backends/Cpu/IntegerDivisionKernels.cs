using System.Numerics;

namespace PSTorch.Backends.Cpu;

/// <summary>Integer quotients and remainders: division by zero raises as in PyTorch's CPU kernels; MIN / -1 wraps instead of trapping.</summary>
internal static class IntegerDivision
{
    public static void CheckDivisor<T>(T b) where T : IBinaryInteger<T>
    {
        if (b == T.Zero) throw new DivideByZeroException("ZeroDivisionError");
    }

    /// <summary>b is -1 (x / -1 and x % -1 are -x and 0; .NET's idiv would overflow for MIN).</summary>
    public static bool IsMinusOne<T>(T b) where T : IBinaryInteger<T> => T.IsNegative(b) && b == -T.One;

    public static T Truncated<T>(T a, T b) where T : IBinaryInteger<T>
    {
        CheckDivisor(b);
        return IsMinusOne(b) ? T.Zero - a : a / b;
    }

    public static T Fmod<T>(T a, T b) where T : IBinaryInteger<T>
    {
        CheckDivisor(b);
        return IsMinusOne(b) ? T.Zero : a % b;
    }
}

/// <summary>div(rounding_mode='floor') on integers: the quotient rounded toward negative infinity (Python's //).</summary>
internal struct IntFloorDivideFunction<T> : IBinaryFunction<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b)
    {
        var quotient = IntegerDivision.Truncated(a, b);
        if (T.IsNegative(a) != T.IsNegative(b) && !IntegerDivision.IsMinusOne(b) && a % b != T.Zero) quotient -= T.One;
        return quotient;
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, IntFloorDivideFunction<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, IntFloorDivideFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, IntFloorDivideFunction<T>>(a, b, d);
}

/// <summary>div(rounding_mode='trunc') on integers: C's integer division.</summary>
internal struct IntTruncDivideFunction<T> : IBinaryFunction<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b) => IntegerDivision.Truncated(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, IntTruncDivideFunction<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, IntTruncDivideFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, IntTruncDivideFunction<T>>(a, b, d);
}

/// <summary>remainder on integers: the sign of the divisor (Python's %).</summary>
internal struct IntRemainderFunction<T> : IBinaryFunction<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b)
    {
        var r = IntegerDivision.Fmod(a, b);
        return r != T.Zero && T.IsNegative(r) != T.IsNegative(b) ? r + b : r;
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, IntRemainderFunction<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, IntRemainderFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, IntRemainderFunction<T>>(a, b, d);
}

/// <summary>fmod on integers: the sign of the dividend (C's %).</summary>
internal struct IntFmodFunction<T> : IBinaryFunction<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b) => IntegerDivision.Fmod(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, IntFmodFunction<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, IntFmodFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, IntFmodFunction<T>>(a, b, d);
}

/// <summary>div(rounding_mode='floor') on floats, as PyTorch's div_floor_floating: through fmod, so the quotient is exact
/// where floor(a / b) would round up first; b == 0 gives a / b (±inf or NaN).</summary>
internal struct FloatFloorDivideFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b)
    {
        if (b == T.Zero) return a / b;
        var mod = a % b;
        var div = (a - mod) / b;
        if (mod != T.Zero && T.IsNegative(b) != T.IsNegative(mod)) div -= T.One;
        if (div == T.Zero) return T.CopySign(T.Zero, a / b);
        var floor = T.Floor(div);
        return div - floor > T.CreateTruncating(0.5) ? floor + T.One : floor;
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, FloatFloorDivideFunction<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, FloatFloorDivideFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, FloatFloorDivideFunction<T>>(a, b, d);
}

/// <summary>div(rounding_mode='trunc') on floats: trunc(a / b).</summary>
internal struct FloatTruncDivideFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Truncate(a / b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, FloatTruncDivideFunction<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, FloatTruncDivideFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, FloatTruncDivideFunction<T>>(a, b, d);
}

/// <summary>remainder on floats, as PyTorch's kernel: fmod moved into the divisor's sign.</summary>
internal struct FloatRemainderFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b)
    {
        var mod = a % b;
        return mod != T.Zero && T.IsNegative(b) != T.IsNegative(mod) ? mod + b : mod;
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, FloatRemainderFunction<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, FloatRemainderFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, FloatRemainderFunction<T>>(a, b, d);
}

/// <summary>fmod on floats: C's fmod (.NET's % on floating point).</summary>
internal struct FloatFmodFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a % b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, FloatFmodFunction<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, FloatFmodFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, FloatFmodFunction<T>>(a, b, d);
}
