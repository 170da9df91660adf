using System.Numerics;
using System.Numerics.Tensors;

namespace PSTorch.Backends.Cpu;

// The rounding, exponential, trigonometric, hyperbolic and error functions of UnaryMath and the binary math of
// BinaryMath. TensorPrimitives vectorises the ones it has; the others run scalar, in double for every floating
// dtype (accurate for float32 and float16 as well).

internal struct FloorFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Floor(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Floor(x, d);
}

internal struct CeilFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Ceiling(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Ceiling(x, d);
}

/// <summary>Halves round to even, as torch.round.</summary>
internal struct RoundFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Round(x, MidpointRounding.ToEven);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Round(x, MidpointRounding.ToEven, d);
}

internal struct TruncFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Truncate(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Truncate(x, d);
}

/// <summary>x - trunc(x): keeps the sign, and infinities give NaN as in PyTorch.</summary>
internal struct FracFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => x - T.Truncate(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => ElementwiseSpans.Apply<T, FracFunction<T>>(x, d);
}

internal struct Log2Function<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log2(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log2(x, d);
}

internal struct Log10Function<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log10(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log10(x, d);
}

/// <summary>2^x one element at a time: TensorPrimitives.Exp2 is up to 70 ulp off in float and 700 in double for large x.</summary>
internal struct Exp2Function<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Exp2(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => ElementwiseSpans.Apply<T, Exp2Function<T>>(x, d);
}

/// <summary>log(1 + x) accurate for small x (.NET's LogP1 is log(1 + x) as written).</summary>
internal struct Log1pFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.CreateTruncating(SpecialFunctions.Log1p(double.CreateTruncating(x)));
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => ElementwiseSpans.Apply<T, Log1pFunction<T>>(x, d);
}

/// <summary>exp(x) - 1 accurate for small x (.NET's ExpM1 is exp(x) - 1 as written).</summary>
internal struct Expm1Function<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.CreateTruncating(SpecialFunctions.Expm1(double.CreateTruncating(x)));
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => ElementwiseSpans.Apply<T, Expm1Function<T>>(x, d);
}

internal struct TanFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Tan(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Tan(x, d);
}

internal struct AsinFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Asin(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Asin(x, d);
}

internal struct AcosFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Acos(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Acos(x, d);
}

internal struct AtanFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Atan(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Atan(x, d);
}

internal struct SinhFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sinh(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => SmallArgumentSeries.Sinh(x, d);
}

internal struct CoshFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Cosh(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Cosh(x, d);
}

internal struct AsinhFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Asinh(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Asinh(x, d);
}

internal struct AcoshFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Acosh(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Acosh(x, d);
}

internal struct AtanhFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Atanh(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Atanh(x, d);
}

internal struct ErfFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.CreateTruncating(ErrorFunction.Erf(double.CreateTruncating(x)));
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => ElementwiseSpans.Apply<T, ErfFunction<T>>(x, d);
}

internal struct ErfcFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.CreateTruncating(SpecialFunctions.Erfc(double.CreateTruncating(x)));
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => ElementwiseSpans.Apply<T, ErfcFunction<T>>(x, d);
}

internal struct ErfinvFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.CreateTruncating(SpecialFunctions.Erfinv(double.CreateTruncating(x)));
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => ElementwiseSpans.Apply<T, ErfinvFunction<T>>(x, d);
}

/// <summary>sin(pi x) / (pi x), and 1 at 0.</summary>
internal struct SincFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x)
    {
        double v = double.CreateTruncating(x);
        if (v == 0) return T.One;
        double piX = Math.PI * v;
        return T.CreateTruncating(Math.Sin(piX) / piX);
    }
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => ElementwiseSpans.Apply<T, SincFunction<T>>(x, d);
}

/// <summary>x times pi / 180 rounded to T, as PyTorch's deg2rad (a multiplication by that scalar).</summary>
internal struct Deg2radFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static readonly T Factor = T.CreateTruncating(Math.PI / 180);
    public static T Apply(T x) => x * Factor;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Multiply(x, Factor, d);
}

internal struct Rad2degFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static readonly T Factor = T.CreateTruncating(180 / Math.PI);
    public static T Apply(T x) => x * Factor;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Multiply(x, Factor, d);
}

internal struct Atan2Function<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Atan2(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Atan2(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Atan2(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Atan2(a, b, d);
}

internal struct HypotFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Hypot(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Hypot(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, HypotFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, HypotFunction<T>>(a, b, d);
}

/// <summary>x * log(y), and 0 where x is 0 unless y is NaN (torch.xlogy).</summary>
internal struct XlogyFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.IsNaN(b) ? b : a == T.Zero ? T.Zero : a * T.Log(b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, XlogyFunction<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, XlogyFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, XlogyFunction<T>>(a, b, d);
}

internal struct CopysignFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.CopySign(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.CopySign(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.CopySign(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, CopysignFunction<T>>(a, b, d);
}

/// <summary>The larger, a NaN only when both are NaN (torch.fmax).</summary>
internal struct FmaxFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.MaxNumber(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.MaxNumber(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.MaxNumber(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.MaxNumber(b, a, d);
}

internal struct FminFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.MinNumber(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.MinNumber(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.MinNumber(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.MinNumber(b, a, d);
}

/// <summary>log(e^a + e^b) without overflow: max + log1p(e^-|a - b|); equal infinities give themselves (PyTorch's kernel).</summary>
internal struct LogaddexpFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b)
    {
        double x = double.CreateTruncating(a), y = double.CreateTruncating(b);
        if (double.IsInfinity(x) && x == y) return a;
        return T.CreateTruncating(Math.Max(x, y) + SpecialFunctions.Log1p(Math.Exp(-Math.Abs(x - y))));
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, LogaddexpFunction<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, LogaddexpFunction<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, LogaddexpFunction<T>>(a, b, d);
}

/// <summary>log2(2^a + 2^b) = max + log1p(2^-|a - b|) / ln 2.</summary>
internal struct Logaddexp2Function<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b)
    {
        double x = double.CreateTruncating(a), y = double.CreateTruncating(b);
        if (double.IsInfinity(x) && x == y) return a;
        return T.CreateTruncating(Math.Max(x, y) + SpecialFunctions.Log1p(Math.Pow(2, -Math.Abs(x - y))) / Math.Log(2));
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, Logaddexp2Function<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ElementwiseSpans.Apply<T, Logaddexp2Function<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ElementwiseSpans.Apply<T, Logaddexp2Function<T>>(a, b, d);
}
