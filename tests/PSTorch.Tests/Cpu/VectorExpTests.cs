using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PSTorch.Backends.Cpu;
using Xunit;

namespace PSTorch.Tests.Cpu;

public class VectorExpTests
{
    /// <summary>Relative error allowed against the correctly rounded result (about 4 ulp of float).</summary>
    const double Tolerance = 5e-7;

    static float[] Inputs()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 4000).Select(_ => (float)(rng.NextDouble() * 200 - 105)).ToList();
        values.AddRange([0f, -0f, 1f, -1f, 0.3465f, -0.3466f, 88.7f, 88.72f, -87.3f, -87.34f, -100f, -103.9f, 1e-30f, -1e-30f]);
        return values.ToArray();
    }

    static void Check(float x, float actual)
    {
        double expected = Math.Exp(x);
        if (expected > float.MaxValue) { Assert.Equal(float.PositiveInfinity, actual); return; }
        // subnormal results have fewer significant bits: judge them by absolute error in units of the smallest subnormal
        if (expected < 1.1754943508222875e-38) { Assert.True(Math.Abs(actual - expected) <= 2 * float.Epsilon, $"exp({x}) = {actual}, expected {expected}"); return; }
        Assert.True(Math.Abs(actual - expected) <= Tolerance * expected, $"exp({x}) = {actual:R}, expected {expected:R}");
    }

    [Fact]
    public void Vector512MatchesMathExpIncludingUnderflowOverflowAndNaN()
    {
        if (!Avx512F.IsSupported) return;
        var xs = Inputs();
        for (int i = 0; i + 16 <= xs.Length; i += 16)
        {
            var r = VectorExp.Exp(Vector512.Create(xs, i));
            for (int k = 0; k < 16; k++) Check(xs[i + k], r[k]);
        }
        var special = VectorExp.Exp(Vector512.Create(float.NaN, float.PositiveInfinity, float.NegativeInfinity, 200f, -200f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        Assert.True(float.IsNaN(special[0]));
        Assert.Equal(float.PositiveInfinity, special[1]);
        Assert.Equal(0f, special[2]);
        Assert.Equal(float.PositiveInfinity, special[3]);
        Assert.Equal(0f, special[4]);
        Assert.Equal(1f, special[5]);
    }

    [Fact]
    public void Vector256MatchesMathExpIncludingUnderflowOverflowAndNaN()
    {
        if (!Fma.IsSupported) return;
        var xs = Inputs();
        for (int i = 0; i + 8 <= xs.Length; i += 8)
        {
            var r = VectorExp.Exp(Vector256.Create(xs, i));
            for (int k = 0; k < 8; k++) Check(xs[i + k], r[k]);
        }
        var special = VectorExp.Exp(Vector256.Create(float.NaN, float.PositiveInfinity, float.NegativeInfinity, 200f, -200f, 0, 1, -1));
        Assert.True(float.IsNaN(special[0]));
        Assert.Equal(float.PositiveInfinity, special[1]);
        Assert.Equal(0f, special[2]);
        Assert.Equal(float.PositiveInfinity, special[3]);
        Assert.Equal(0f, special[4]);
        Assert.Equal(1f, special[5]);
    }
}
