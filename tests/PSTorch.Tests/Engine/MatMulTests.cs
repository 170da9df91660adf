using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

public class MatMulTests
{
    static Tensor D(double[] v, params long[] shape) => Torch.FromArray(v, shape, requiresGrad: true);

    static Tensor Seq(int n, params long[] shape)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Math.Sin(i * 1.7) + 0.1 * i;
        return D(v, shape);
    }

    [Fact]
    public void SeedNotesRowTimesColumnAndColumnTimesRow()
    {
        var row = Torch.FromArray(new float[] { 1, 2, 3 }, [1, 3]);
        var col = Torch.FromArray(new float[] { 4, 5, 6 }, [3, 1]);
        var inner = row.MatMul(col);
        Assert.Equal(new long[] { 1, 1 }, inner.Shape);
        Assert.Equal(32f, inner.ToArray<float>()[0]);
        var outer = col.MatMul(row);
        Assert.Equal(new long[] { 3, 3 }, outer.Shape);
        Assert.Equal(new float[] { 4, 8, 12, 5, 10, 15, 6, 12, 18 }, outer.ToArray<float>());
    }

    [Fact]
    public void MatMulDispatchShapes()
    {
        Assert.Equal(Array.Empty<long>(), Torch.Ones(3).MatMul(Torch.Ones(3)).Shape);
        Assert.Equal(new long[] { 2 }, Torch.Ones(2, 3).MatMul(Torch.Ones(3)).Shape);
        Assert.Equal(new long[] { 4 }, Torch.Ones(3).MatMul(Torch.Ones(3, 4)).Shape);
        Assert.Equal(new long[] { 5, 2, 4 }, Torch.Ones(5, 2, 3).MatMul(Torch.Ones(3, 4)).Shape);
        Assert.Equal(new long[] { 7, 5, 2, 4 }, Torch.Ones(7, 1, 2, 3).MatMul(Torch.Ones(5, 3, 4)).Shape);
        Assert.Equal(new long[] { 5, 2 }, Torch.Ones(5, 2, 3).MatMul(Torch.Ones(3)).Shape);
        Assert.Equal(3f, Torch.Ones(3).MatMul(Torch.Ones(3)).Item<float>());
    }

    [Fact]
    public void ValuesOnTransposedAndIntegerInputs()
    {
        var a = Torch.FromArray(new long[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var b = Torch.FromArray(new long[] { 1, 0, 2, 1, 0, 3 }, [3, 2]);
        Assert.Equal(new long[] { 5, 11, 14, 23 }, a.MatMul(b).ToArray<long>());
        // a.T() is non-contiguous: (3x2)^T @ (3x2)
        var at = a.T().Contiguous().T();
        Assert.Equal(new long[] { 5, 11, 14, 23 }, at.MatMul(b).ToArray<long>());
        Assert.Equal(new long[] { 17, 22, 27, 22, 29, 36, 27, 36, 45 }, a.T().MatMul(a).ToArray<long>());
    }

    [Fact]
    public void Errors()
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.Ones(1, 3).Mm(Torch.Ones(2, 1)));
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (1x3 and 2x1)", e.Message);
        var d = Assert.Throws<InvalidOperationException>(() => Torch.Ones(2, 2).Mm(Torch.Ones([2, 2], DType.Float64)));
        Assert.Contains("expected m1 and m2 to have the same dtype", d.Message);
        Assert.Throws<ArgumentException>(() => Torch.Scalar(1).MatMul(Torch.Ones(2)));
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        Assert.True(Torch.GradCheck(x => x[0].Mm(x[1]), [Seq(6, 2, 3), Seq(12, 3, 4)]));
        Assert.True(Torch.GradCheck(x => x[0].Bmm(x[1]), [Seq(12, 2, 2, 3), Seq(12, 2, 3, 2)]));
        Assert.True(Torch.GradCheck(x => x[0].MatMul(x[1]), [Seq(6, 3, 1, 2), Seq(12, 3, 2, 2).Transpose(1, 2).Detach().RequiresGrad_()]));
        Assert.True(Torch.GradCheck(x => x[0].MatMul(x[1]), [Seq(3, 3), Seq(12, 3, 4)]));
        Assert.True(Torch.GradCheck(x => x[0].MatMul(x[1]), [Seq(3, 3), Seq(3, 3)]));
        Assert.True(Torch.GradCheck(x => x[0].T().MatMul(x[1]), [Seq(6, 3, 2), Seq(6, 3, 2)]));
    }

    [Fact]
    public void Float32LargeProductMatchesDoubleReference()
    {
        var rnd = new Random(3);
        int m = 70, k = 300, n = 45;
        var av = new float[m * k]; var bv = new float[k * n];
        for (int i = 0; i < av.Length; i++) av[i] = (float)(rnd.NextDouble() * 2 - 1);
        for (int i = 0; i < bv.Length; i++) bv[i] = (float)(rnd.NextDouble() * 2 - 1);
        var c = Torch.FromArray(av, [m, k]).MatMul(Torch.FromArray(bv, [k, n])).ToArray<float>();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)av[i * k + p] * bv[p * n + j];
                Assert.True(Math.Abs(c[i * n + j] - s) < 1e-4, $"C[{i},{j}] = {c[i * n + j]}, expected {s}");
            }
    }
}
