using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>
/// Float sums along contiguous rows run a blocked cascade (vector accumulators per block, blocks combined
/// pairwise, a scalar tail); these check lengths around its steps and blocks against double-precision sums.
/// </summary>
public class SumRowTests
{
    public static readonly TheoryData<int> Lengths = new() { 1, 15, 16, 17, 127, 128, 129, 4095, 4096, 4097, 3 * 4096 + 5, 1000003 };

    static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 0.5);
        return v;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Float32SumMatchesDoubleReference(int n)
    {
        float[] x = Random(n, n);
        double expected = x.Sum(v => (double)v), magnitude = x.Sum(v => Math.Abs((double)v));
        double got = (double)Torch.FromArray(x).Sum().Item();
        Assert.True(Math.Abs(got - expected) <= 1e-6 * magnitude, $"n={n}: sum {got:R} vs {expected:R}");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Float64SumMatchesReference(int n)
    {
        double[] x = Random(n, n + 1).Select(v => (double)v).ToArray();
        double expected = x.Sum(), magnitude = x.Sum(Math.Abs);
        double got = (double)Torch.FromArray(x).Sum().Item();
        Assert.True(Math.Abs(got - expected) <= 1e-13 * magnitude, $"n={n}: sum {got:R} vs {expected:R}");
    }

    [Fact]
    public void RowSumsOfAMatrixEachMatchTheirReference()
    {
        const int rows = 3, cols = 100003;
        float[] x = Random(rows * cols, 7);
        var got = Torch.FromArray(x, [rows, cols]).Sum(1).ToArray<float>();
        for (int r = 0; r < rows; r++)
        {
            double expected = 0, magnitude = 0;
            for (int c = 0; c < cols; c++) { expected += x[r * cols + c]; magnitude += Math.Abs(x[r * cols + c]); }
            Assert.True(Math.Abs(got[r] - expected) <= 1e-6 * magnitude, $"row {r}: {got[r]:R} vs {expected:R}");
        }
    }

    [Fact]
    public void Float32SumOfLongRunOfTenthsStaysWithinOneMillionth()
    {
        // 4096 * 1000 + 17 elements: many full blocks in the cascade plus a tail
        const int n = 4096 * 1000 + 17;
        double expected = n * (double)0.1f;
        double got = (double)Torch.Full([n], 0.1).Sum().Item();
        Assert.True(Math.Abs(got - expected) <= 1e-6 * expected, $"sum {got:R} vs {expected:R}");
    }
}
