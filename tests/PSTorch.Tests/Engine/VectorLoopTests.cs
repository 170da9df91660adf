using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>
/// In-place elementwise ops on contiguous float tensors, and relu, neg and abs into a fresh output, take a
/// hand-vectorised loop (64 floats a step plus a scalar tail; long fresh outputs streamed); these check it against
/// double-precision references on lengths around the step, on views, on broadcast scalars and on NaN and signed zeros.
/// </summary>
public class VectorLoopTests
{
    public static readonly TheoryData<int> Lengths = new() { 1, 15, 16, 17, 63, 64, 65, 1000003 };

    static float[] Random(int n, int seed, float offset = 0)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 4 - 2) + offset;
        return v;
    }

    /// <summary>For +, -, *, / of floats, rounding the double result to float gives the correctly rounded float result, so equality is exact.</summary>
    static void AssertExact(float[] expected, Tensor actual)
    {
        var got = actual.ToArray<float>();
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
            Assert.True(expected[i].Equals(got[i]), $"element {i}: expected {expected[i]:R}, got {got[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Float32TensorTensorOpsMatchDoubleReference(int n)
    {
        float[] x = Random(n, 1), y = Random(n, 2, offset: 3); // y stays away from 0 for division
        var ops = new (Func<Tensor, Tensor, Tensor> InPlace, Func<double, double, double> Reference)[]
        {
            ((a, b) => a.Add_(b), (p, q) => p + q),
            ((a, b) => a.Sub_(b), (p, q) => p - q),
            ((a, b) => a.Mul_(b), (p, q) => p * q),
            ((a, b) => a.Div_(b), (p, q) => p / q),
        };
        foreach (var (inPlace, reference) in ops)
        {
            var a = Torch.FromArray(x);
            var result = inPlace(a, Torch.FromArray(y));
            Assert.Same(a, result);
            AssertExact(x.Select((v, i) => (float)reference(v, y[i])).ToArray(), a);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Float32TensorScalarOpsMatchDoubleReference(int n)
    {
        float[] x = Random(n, 3);
        AssertExact(x.Select(v => (float)(v + (double)2.5f)).ToArray(), Torch.FromArray(x).Add_(2.5));
        AssertExact(x.Select(v => (float)(v * (double)0.3f)).ToArray(), Torch.FromArray(x).Mul_(0.3));
        AssertExact(x.Select(v => (float)(v / (double)7f)).ToArray(), Torch.FromArray(x).Div_(7.0));
        // a one-element tensor broadcast over the output
        AssertExact(x.Select(v => (float)(v - (double)1.25f)).ToArray(), Torch.FromArray(x).Sub_(Torch.FromArray(new[] { 1.25f })));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Float64AndInt32InPlaceAddMatchReference(int n)
    {
        var rng = new Random(4);
        double[] x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double[] y = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 1e-3).ToArray();
        var a = Torch.FromArray(x).Add_(Torch.FromArray(y));
        Assert.Equal(x.Select((v, i) => v + y[i]).ToArray(), a.ToArray<double>());

        int[] p = Enumerable.Range(0, n).Select(i => i * 7 - 300).ToArray();
        var ip = Torch.FromArray(p).Mul_(Torch.FromArray(p));
        Assert.Equal(p.Select(v => v * v).ToArray(), ip.ToArray<int>());
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void UnaryInPlaceOpsMatchReference(int n)
    {
        float[] x = Random(n, 5);
        AssertExact(x.Select(v => v < 0 ? 0f : v).ToArray(), Torch.FromArray(x).Relu_());
        AssertExact(x.Select(v => -v).ToArray(), Torch.FromArray(x).Neg_());
        AssertExact(x.Select(MathF.Abs).ToArray(), Torch.FromArray(x).Abs_());
        // the in-place and allocating forms agree
        AssertExact(Torch.FromArray(x).Relu().ToArray<float>(), Torch.FromArray(x).Relu_());
    }

    // torch.relu is clamp_min(x, 0): negatives become +0; NaN and -0 come back unchanged (eager PyTorch gives
    // relu(-0.0) = -0.0, bit for bit). 67 elements: vector body and scalar tail; 300001: long enough that the
    // allocating form streams its output, and offset by 3 so the streamed part starts after an unaligned head.
    [Theory]
    [InlineData(67, 0)]
    [InlineData(300001, 3)]
    public void ReluKeepsNaNAndNegativeZeroAndClearsNegatives(int n, int offset)
    {
        var x = new float[n + offset];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 5) switch { 0 => float.NaN, 1 => -0f, 2 => float.NegativeInfinity, 3 => -1.5f, _ => i };
        void Check(float[] got, string form)
        {
            for (int i = 0; i < n; i++)
            {
                float v = x[i + offset], r = got[i];
                bool ok = float.IsNaN(v) ? float.IsNaN(r) : v < 0 ? BitConverter.SingleToInt32Bits(r) == 0 : BitConverter.SingleToInt32Bits(r) == BitConverter.SingleToInt32Bits(v);
                Assert.True(ok, $"{form} element {i}: relu({v:R}) gave {r:R}");
            }
        }
        Check(Torch.FromArray(x).Narrow(0, offset, n).Relu().ToArray<float>(), "allocating");
        var inPlace = Torch.FromArray(x).Narrow(0, offset, n);
        Check(inPlace.Relu_().ToArray<float>(), "in-place");
        Check(Torch.FromArray(x.Select(v => (double)v).ToArray()).Narrow(0, offset, n).Relu().To(DType.Float32).ToArray<float>(), "float64");
    }

    [Fact]
    public void InPlaceOnContiguousViewLeavesTheRestOfTheBaseAlone()
    {
        const int n = 1000;
        float[] x = Random(n, 6), y = Random(n, 7);
        var baseTensor = Torch.FromArray(x);
        // an offset, contiguous middle part: the vector loop starts at an unaligned address and stops short of the end
        baseTensor.Narrow(0, 3, 997 - 3).Add_(Torch.FromArray(y).Narrow(0, 3, 997 - 3));
        AssertExact(x.Select((v, i) => i >= 3 && i < 997 ? (float)(v + (double)y[i]) : v).ToArray(), baseTensor);
    }

    [Fact]
    public void InPlaceOnStridedViewsUsesTheGeneralPath()
    {
        const int rows = 37, cols = 65;
        float[] x = Random(rows * cols, 8), y = Random(rows * cols, 9);
        var a = Torch.FromArray(x, [rows, cols]);
        var b = Torch.FromArray(y, [cols, rows]);
        // a transposed operand: the output is contiguous but the other input is not
        a.Add_(b.T());
        AssertExact(Enumerable.Range(0, rows * cols).Select(k => (float)(x[k] + (double)y[k % cols * rows + k / cols])).ToArray(), a);

        // a transposed output: the first 33 columns of the base, relu'd in place
        var c = Torch.FromArray(x, [rows, cols]);
        c.T().Narrow(0, 0, 33).Relu_();
        AssertExact(x.Select((v, k) => k % cols < 33 ? Math.Max(v, 0f) : v).ToArray(), c);

        // a stride-2 output: the odd elements negated in place
        float[] even = x[..(rows * cols - 1)];
        var d = Torch.FromArray(even);
        d.View(even.Length / 2, 2).Select(1, 1).Neg_();
        AssertExact(even.Select((v, k) => k % 2 == 1 ? -v : v).ToArray(), d);
    }
}
