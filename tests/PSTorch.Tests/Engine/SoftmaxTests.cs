using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

public class SoftmaxTests
{
    static double[] Softmax(params double[] row)
    {
        var e = row.Select(v => Math.Exp(v - row.Max())).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    [Fact]
    public void SoftmaxOverRows()
    {
        var x = Doubles([1, 2, 3, -1, 0, 1], 2, 3);
        Close(Softmax(1, 2, 3).Concat(Softmax(-1, 0, 1)).ToArray(), x.Softmax(1), 1e-12);
        Close(Softmax(1, 2, 3).Concat(Softmax(-1, 0, 1)).ToArray(), x.Softmax(-1), 1e-12);
        Close(Softmax(1, 2, 3).Concat(Softmax(-1, 0, 1)).Select(v => Math.Log(v)).ToArray(), x.LogSoftmax(-1), 1e-12);
    }

    [Fact]
    public void SoftmaxOverTheLeadingAndMiddleDims()
    {
        var x = Doubles([1, 2, 3, -1, 0, 5], 2, 3);
        var byColumn = new[] { Softmax(1, -1), Softmax(2, 0), Softmax(3, 5) };
        Close([byColumn[0][0], byColumn[1][0], byColumn[2][0], byColumn[0][1], byColumn[1][1], byColumn[2][1]], x.Softmax(0), 1e-12);
        var logColumns = x.LogSoftmax(0);
        Close(x.Softmax(0).Log().ToArray<double>(), logColumns, 1e-12);

        // a middle dim of a 3-D float32 tensor agrees with the same softmax taken over the last dim of a permuted copy
        var rng = new Random(7);
        var t = Torch.FromArray(Enumerable.Range(0, 4 * 5 * 6).Select(_ => (float)(rng.NextDouble() * 10 - 5)).ToArray(), [4, 5, 6]);
        var viaLast = t.Transpose(1, 2).Contiguous().Softmax(-1).Transpose(1, 2).Contiguous();
        Close(viaLast.To(DType.Float64).ToArray<double>(), t.Softmax(1), 1e-6);
        var logViaLast = t.Transpose(1, 2).Contiguous().LogSoftmax(-1).Transpose(1, 2).Contiguous();
        Close(logViaLast.To(DType.Float64).ToArray<double>(), t.LogSoftmax(1), 1e-6);
    }

    [Fact]
    public void LargeInputsDoNotOverflow()
    {
        var x = Torch.FromArray(new float[] { 1000, 1001, 1002, -1000 });
        Close(Softmax(0, 1, 2, -2000), x.Softmax(0), 1e-6);
        double logSum = Math.Log(Math.Exp(-2) + Math.Exp(-1) + 1 + Math.Exp(-2002));
        Close([-2 - logSum, -1 - logSum, -logSum, -2002 - logSum], x.LogSoftmax(0), 1e-6);
    }

    [Fact]
    public void NonContiguousInputAndRowsSumToOne()
    {
        var rng = new Random(1);
        var x = Torch.FromArray(Enumerable.Range(0, 64 * 33).Select(_ => rng.NextDouble() * 20 - 10).ToArray(), [64, 33]);
        var t = x.T();
        var s = t.Softmax(1);
        Close(Enumerable.Repeat(1.0, 33).ToArray(), s.Sum(1), 1e-12);
        Close(x.Softmax(0).T().Contiguous().ToArray<double>(), s, 1e-12);
    }

    [Fact]
    public void DTypesAndErrors()
    {
        var h = Torch.FromArray(new double[] { 1, 2, 3 }, [3], DType.Float16);
        Assert.Equal(DType.Float16, h.Softmax(0).DType);
        Close(Softmax(1, 2, 3), h.Softmax(0), 1e-3);
        var i = Torch.FromArray(new long[] { 1, 2, 3 });
        var e = Assert.Throws<NotSupportedException>(() => i.Softmax(0));
        Assert.Equal("\"softmax_lastdim_kernel_impl\" not implemented for 'Long'", e.Message);
        Assert.Equal(DType.Float64, i.Softmax(0, DType.Float64).DType);
        Close(Softmax(1, 2, 3), Torch.Softmax(i, 0, DType.Float32), 1e-6);
        Assert.Throws<IndexOutOfRangeException>(() => h.Softmax(1));
    }

    [Fact]
    public void GradientsAndNames()
    {
        var a = Leaf([0.3, -1, 2.5, 0.7, 1.1, -0.4], 2, 3);
        Assert.Equal("SoftmaxBackward0", a.Softmax(1).GradFn!.Name);
        Assert.Equal("LogSoftmaxBackward0", a.LogSoftmax(1).GradFn!.Name);
        Assert.True(Torch.GradCheck(t => t[0].Softmax(1), [a]));
        Assert.True(Torch.GradCheck(t => t[0].Softmax(0), [a]));
        Assert.True(Torch.GradCheck(t => t[0].LogSoftmax(-1), [a]));
        Assert.True(Torch.GradCheck(t => t[0].LogSoftmax(0), [a]));
        Assert.True(Torch.GradCheck(t => t[0].Reshape(1, 2, 3).Softmax(1), [a]));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    [InlineData(0)]
    public void Float32LogSoftmaxGradientMatchesClosedForm(int dim)
    {
        // the dedicated backward kernel (float32, rows or columns): gx = w - softmax(x) * sum(w along dim)
        Torch.ManualSeed(7);
        using var x = Torch.Randn(3, 4, 5).RequiresGrad_(true);
        using var w = Torch.Randn(3, 4, 5);
        using var y = x.LogSoftmax(dim);
        using var weighted = y * w;
        using var loss = weighted.Sum();
        loss.Backward();
        var xs = x.Detach().To(DType.Float64).ToArray<double>();
        var ws = w.To(DType.Float64).ToArray<double>();
        long[] strides = [20, 5, 1];
        long[] shape = [3, 4, 5];
        var expected = new double[60];
        for (int i = 0; i < 60; i++)
        {
            long first = i - (i / strides[dim] % shape[dim]) * strides[dim];
            var row = Enumerable.Range(0, (int)shape[dim]).Select(j => first + j * strides[dim]).ToArray();
            double max = row.Max(k => xs[k]);
            double expSum = row.Sum(k => Math.Exp(xs[k] - max));
            double weightSum = row.Sum(k => ws[k]);
            expected[i] = ws[i] - Math.Exp(xs[i] - max) / expSum * weightSum;
        }
        Close(expected, x.Grad!.To(DType.Float64), 1e-5);
    }
}
