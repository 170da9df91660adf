using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

/// <summary>
/// The float32 last-dim softmax has its own vectorised row kernels: every row length (vector body and tail), many
/// rows (parallel split), and rows shorter than a vector taken a chunk of 256 rows at a time.
/// </summary>
public class SoftmaxFloatRowTests
{
    static (double[] Softmax, double[] LogSoftmax) Reference(float[] x, int rows, int n)
    {
        var s = new double[x.Length];
        var l = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            var row = x.Skip(r * n).Take(n).Select(v => (double)v).ToArray();
            double max = row.Max();
            double sum = row.Sum(v => Math.Exp(v - max));
            for (int j = 0; j < n; j++)
            {
                s[r * n + j] = Math.Exp(row[j] - max) / sum;
                l[r * n + j] = row[j] - max - Math.Log(sum);
            }
        }
        return (s, l);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(2, 8)]
    [InlineData(5, 15)]
    [InlineData(4, 16)]
    [InlineData(3, 17)]
    [InlineData(3, 31)]
    [InlineData(2, 33)]
    [InlineData(2, 47)]
    [InlineData(601, 10)]
    [InlineData(300, 15)]
    [InlineData(257, 1)]
    [InlineData(4000, 10)]
    [InlineData(64, 1024)]
    [InlineData(40, 1025)]
    public void MatchesDoubleReference(int rows, int n)
    {
        var rng = new Random(rows * 1000 + n);
        var x = Enumerable.Range(0, rows * n).Select(_ => (float)(rng.NextDouble() * 30 - 15)).ToArray();
        var t = Torch.FromArray(x, [rows, n]);
        var (softmax, logSoftmax) = Reference(x, rows, n);
        var s = t.Softmax(1);
        Assert.Equal(DType.Float32, s.DType);
        Close(softmax, s, 2e-6);
        Close(logSoftmax, t.LogSoftmax(1), 2e-6);
    }

    [Fact]
    public void NaNMakesItsRowNaNAndInfinitiesFollowPyTorch()
    {
        var x = Torch.FromArray(new float[] { 1, float.NaN, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                              0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, float.NegativeInfinity }, [2, 17]);
        var s = x.Softmax(1).ToArray<float>();
        Assert.All(s.Take(17), v => Assert.True(float.IsNaN(v)));
        Assert.Equal(0f, s[33]);
        Assert.Equal(1.0, s.Skip(17).Sum(v => (double)v), 5);
        Assert.Equal(float.NegativeInfinity, x.LogSoftmax(1).ToArray<float>()[33]);
    }

    [Fact]
    public void ShortRowsKeepNaNAndInfinitiesPerRow()
    {
        var inf = float.NegativeInfinity;
        var x = Torch.FromArray(new float[] { 1, float.NaN, 2, 3, 4, 5, 6, 7, 8, 9,
                                              0, 1, 2, 3, 4, 5, 6, 7, 8, inf,
                                              inf, inf, inf, inf, inf, inf, inf, inf, inf, inf,
                                              0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, [4, 10]);
        var s = x.Softmax(1).ToArray<float>();
        var l = x.LogSoftmax(1).ToArray<float>();
        Assert.All(s.Take(10), v => Assert.True(float.IsNaN(v)));
        Assert.Equal(0f, s[19]);
        Assert.Equal(inf, l[19]);
        Assert.Equal(1.0, s.Skip(10).Take(10).Sum(v => (double)v), 5);
        // a row of -inf only has no maximum to shift by: NaN, as in PyTorch
        Assert.All(s.Skip(20).Take(10), v => Assert.True(float.IsNaN(v)));
        Assert.All(s.Skip(30), v => Assert.Equal(0.1f, v, 6));
        Assert.All(l.Skip(30), v => Assert.Equal(-MathF.Log(10), v, 5));
    }
}
