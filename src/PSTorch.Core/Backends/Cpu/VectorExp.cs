using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// exp of every float lane, for kernels that exponentiate inside their own loops (softmax): written here so it
/// inlines into those loops and is compiled optimised with them, where calling TensorPrimitives.Exp per short row
/// pays a call and, until the JIT re-compiles it, unoptimised code. Cephes' expf: e^x = 2^n * e^r with
/// n = round(x / ln 2) and |r| &lt;= ln 2 / 2, e^r by a degree-7 polynomial; relative error about 2 ulp.
/// Underflows to subnormals and 0, overflows to +inf, and propagates NaN like <see cref="MathF.Exp"/>.
/// </summary>
internal static class VectorExp
{
    const float Log2E = 1.44269504088896341f;
    const float Ln2Hi = 0.693359375f;
    const float Ln2Lo = -2.12194440e-4f;
    /// <summary>e^x is +inf above this and 0 below <see cref="Lowest"/>: clamping there keeps n in range.</summary>
    const float Highest = 88.8f;
    const float Lowest = -104f;
    /// <summary>1.5 * 2^23: adding it rounds to an integer that then sits in the low mantissa bits.</summary>
    const float RoundMagic = 12582912f;
    const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    const float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        // Max/Min return their second operand when either is NaN: x second lets NaN through
        x = Avx512F.Min(Vector512.Create(Highest), Avx512F.Max(Vector512.Create(Lowest), x));
        var t = Avx512F.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(RoundMagic));
        var n = t - Vector512.Create(RoundMagic);
        var r = Avx512F.FusedMultiplyAddNegated(n, Vector512.Create(Ln2Hi), x);
        r = Avx512F.FusedMultiplyAddNegated(n, Vector512.Create(Ln2Lo), r);
        var p = Avx512F.FusedMultiplyAdd(Vector512.Create(P0), r, Vector512.Create(P1));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(P2));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(P3));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(P4));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(P5));
        p = Avx512F.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        // 2^n as two factors 2^(n/2) and 2^(n - n/2): each stays a normal float for n in [-150, 128]
        var ni = t.AsInt32() - Vector512.Create(0x4B400000);
        var half = Vector512.ShiftRightArithmetic(ni, 1);
        var s1 = Vector512.ShiftLeft(half + Vector512.Create(127), 23).AsSingle();
        var s2 = Vector512.ShiftLeft(ni - half + Vector512.Create(127), 23).AsSingle();
        return p * s1 * s2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Avx.Min(Vector256.Create(Highest), Avx.Max(Vector256.Create(Lowest), x));
        var t = Fma.MultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(RoundMagic));
        var n = t - Vector256.Create(RoundMagic);
        var r = Fma.MultiplyAddNegated(n, Vector256.Create(Ln2Hi), x);
        r = Fma.MultiplyAddNegated(n, Vector256.Create(Ln2Lo), r);
        var p = Fma.MultiplyAdd(Vector256.Create(P0), r, Vector256.Create(P1));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(P2));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(P3));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(P4));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(P5));
        p = Fma.MultiplyAdd(p, r * r, r) + Vector256<float>.One;
        var ni = t.AsInt32() - Vector256.Create(0x4B400000);
        var half = Vector256.ShiftRightArithmetic(ni, 1);
        var s1 = Vector256.ShiftLeft(half + Vector256.Create(127), 23).AsSingle();
        var s2 = Vector256.ShiftLeft(ni - half + Vector256.Create(127), 23).AsSingle();
        return p * s1 * s2;
    }
}
