using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

/// <summary>cumsum, cumprod, cummax/cummin and logcumsumexp against naive loops, with gradients checked in float64.</summary>
public class ScanTests
{
    static Tensor Random(params long[] shape) => Torch.Randn(shape, DType.Float64, generator: new Generator(7));

    /// <summary>The naive inclusive scan of a 2-D tensor along dim (0 or 1), in double.</summary>
    static double[] NaiveScan(Tensor x, int dim, Func<double, double, double> combine)
    {
        var v = x.To(DType.Float64).Contiguous().ToArray<double>();
        long rows = x.Size(0), cols = x.Size(1);
        var r = new double[v.Length];
        for (long i = 0; i < rows; i++)
            for (long j = 0; j < cols; j++)
            {
                long at = i * cols + j, previous = dim == 0 ? at - cols : at - 1;
                bool first = dim == 0 ? i == 0 : j == 0;
                r[at] = first ? v[at] : combine(r[previous], v[at]);
            }
        return r;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void CumsumAndCumprodMatchNaiveLoops(int dim)
    {
        var x = Random(4, 5);
        int d = dim < 0 ? dim + 2 : dim;
        Close(NaiveScan(x, d, (a, b) => a + b), x.Cumsum(dim), 1e-12);
        Close(NaiveScan(x, d, (a, b) => a * b), x.Cumprod(dim), 1e-12);
        Close(NaiveScan(x, d, (a, b) => a + b), Torch.Cumsum(x, dim), 1e-12);
    }

    [Fact]
    public void ScansReadNonContiguousInputs()
    {
        var x = Random(5, 4).T();
        Assert.False(x.IsContiguous());
        Close(NaiveScan(x, 1, (a, b) => a + b), x.Cumsum(1), 1e-12);
        Close(NaiveScan(x, 0, Math.Max), x.Cummax(0).Values, 0);
        var sliced = Random(4, 10)[.., TensorIndex.Slice(0, null, 3)];
        Close(NaiveScan(sliced, 1, (a, b) => a * b), sliced.Cumprod(1), 1e-12);
    }

    [Fact]
    public void IntegerAndBoolInputsScanInInt64()
    {
        var ints = Torch.NewTensor(new[] { 1, 2, 3 }).To(DType.Int32);
        Assert.Equal(DType.Int32, ints.DType);
        var sum = ints.Cumsum(0);
        Assert.Equal(DType.Int64, sum.DType);
        Assert.Equal([1L, 3, 6], sum.ToArray<long>());
        Assert.Equal([1L, 2, 6], ints.Cumprod(0).ToArray<long>());
        var flags = Torch.NewTensor(new[] { true, false, true, true });
        Assert.Equal([1L, 1, 2, 3], flags.Cumsum(0).ToArray<long>());
        Assert.Equal(DType.Float64, ints.Cumsum(0, DType.Float64).DType);
        Assert.Equal(DType.Float32, Torch.Ones(3).Cumsum(0).DType);
    }

    [Fact]
    public void Float32SumsAccumulateInDoubleLikePyTorchsCpuKernel()
    {
        const int n = 1_000_000;
        var y = Torch.Full([n], 0.1, DType.Float32).Cumsum(0);
        double exact = 0;
        for (int i = 0; i < n; i++) exact += 0.1f;
        Assert.Equal((float)exact, y[n - 1].Item<float>());
    }

    [Fact]
    public void ZeroDimAndEmptyTensors()
    {
        var s = Torch.Scalar(3.0);
        Assert.Equal(3.0, s.Cumsum(0).Item<double>());
        Assert.Equal(3.0, s.Cumprod(-1).Item<double>());
        Assert.Empty(s.Cumsum(0).Shape);
        var empty = Torch.Zeros([0, 3]);
        Assert.Equal([0L, 3], empty.Cumsum(0).Shape);
        Assert.Equal([0L, 3], empty.Cummax(1).Indices.Shape);
        Assert.Equal([0L, 3], empty.Logcumsumexp(1).Shape);
        Assert.Throws<IndexOutOfRangeException>(() => Torch.Ones(2, 2).Cumsum(2));
    }

    [Fact]
    public void CummaxTakesTheLastTieAndPropagatesNaN()
    {
        var x = Doubles([1, 3, 2, 3, 0]);
        var (values, indices) = x.Cummax(0);
        Close([1, 3, 3, 3, 3], values);
        Assert.Equal([0L, 1, 1, 3, 3], indices.ToArray<long>());
        var (minValues, minIndices) = x.Cummin(0);
        Close([1, 1, 1, 1, 0], minValues);
        Assert.Equal([0L, 0, 0, 0, 4], minIndices.ToArray<long>());
        var (nanValues, nanIndices) = Doubles([1, double.NaN, 2, double.NaN, 5]).Cummax(0);
        Close([1, double.NaN, double.NaN, double.NaN, double.NaN], nanValues);
        Assert.Equal([0L, 1, 1, 3, 3], nanIndices.ToArray<long>());
        var ints = Longs([4, 1, 7, 7]).Cummin(0);
        Assert.Equal([4L, 1, 1, 1], ints.Values.ToArray<long>());
        Assert.Equal(DType.Int64, ints.Values.DType);
    }

    [Fact]
    public void LogcumsumexpIsStableAndHandlesInfinities()
    {
        var x = Random(3, 6);
        Close(NaiveScan(x, 1, (a, b) => Math.Log(Math.Exp(a) + Math.Exp(b))), x.Logcumsumexp(1), 1e-12);
        Close([1000, 1000 + Math.Log(2), 1000 + Math.Log(3)], Doubles([1000, 1000, 1000]).Logcumsumexp(0), 1e-12);
        Close([double.NegativeInfinity, double.NegativeInfinity, 0], Doubles([double.NegativeInfinity, double.NegativeInfinity, 0]).Logcumsumexp(0));
        Close([double.PositiveInfinity, double.PositiveInfinity], Doubles([double.PositiveInfinity, 1]).Logcumsumexp(0));
        var e = Assert.Throws<NotSupportedException>(() => Longs([1, 2]).Logcumsumexp(0));
        Assert.Equal("\"logcumsumexp_out_cpu\" not implemented for 'Long'", e.Message);
    }

    [Fact]
    public void GradFnNames()
    {
        var x = Leaf([1, 2, 3]);
        Assert.Equal("CumsumBackward0", x.Cumsum(0).GradFn!.Name);
        Assert.Equal("CumprodBackward0", x.Cumprod(0).GradFn!.Name);
        Assert.Equal("CummaxBackward0", x.Cummax(0).Values.GradFn!.Name);
        Assert.Equal("CumminBackward0", x.Cummin(0).Values.GradFn!.Name);
        Assert.Equal("LogcumsumexpBackward0", x.Logcumsumexp(0).GradFn!.Name);
    }

    [Fact]
    public void GradientsPassGradCheck()
    {
        var x = Random(3, 4).RequiresGrad_();
        Assert.True(Torch.GradCheck(t => t[0].Cumsum(1), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Cumsum(0), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Cumprod(1), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Cummax(1).Values, [x]));
        Assert.True(Torch.GradCheck(t => t[0].Cummin(0).Values, [x]));
        Assert.True(Torch.GradCheck(t => t[0].Logcumsumexp(1), [x]));
        Assert.True(Torch.GradCheck(t => t[0].T().Cumprod(1), [x]));
    }

    [Theory]
    [InlineData(new double[] { 2, 0, 3, 4 })]
    [InlineData(new double[] { 0, 2, 3, 4 })]
    [InlineData(new double[] { 2, 3, 4, 0 })]
    [InlineData(new double[] { 2, 0, 3, 0, 5 })]
    [InlineData(new double[] { 0, 0, 0 })]
    public void CumprodGradientIsExactWithZeros(double[] values)
    {
        Assert.True(Torch.GradCheck(t => t[0].Cumprod(0), [Leaf(values)]));
        // d y_j / d x_k = prod over i <= j, i != k of x_i, summed over j with unit output gradients
        var x = Leaf(values);
        x.Cumprod(0).Sum().Backward();
        var expected = new double[values.Length];
        for (int k = 0; k < values.Length; k++)
            for (int j = k; j < values.Length; j++)
            {
                double p = 1;
                for (int i = 0; i <= j; i++) if (i != k) p *= values[i];
                expected[k] += p;
            }
        Close(expected, x.Grad!, 1e-12);
    }

    [Fact]
    public void InPlaceScansWriteIntoTheTensor()
    {
        var x = Doubles([1, 2, 3]);
        var version = x.Version;
        Assert.Same(x, x.Cumsum_(0));
        Close([1, 3, 6], x);
        Assert.True(x.Version > version);
        x.Cumprod_(0);
        Close([1, 3, 18], x);
        var ints = Torch.NewTensor(new[] { 1, 2, 3 }).To(DType.Int32);
        ints.Cumsum_(0);
        Assert.Equal(DType.Int32, ints.DType);
        Assert.Equal([1, 3, 6], ints.ToArray<int>());
    }
}
