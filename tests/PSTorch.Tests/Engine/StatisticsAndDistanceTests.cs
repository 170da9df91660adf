using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>cov, corrcoef, cdist, normalize and renorm against naive loops, with gradients in float64.</summary>
public class StatisticsAndDistanceTests
{
    static readonly double[] Data = [1, 4, 2, 8, 5, -1, 0, 3, 3, 2, 7, 1];   // 3 variables x 4 observations

    static double[] NaiveCov(double[] x, int vars, int obs, double correction, double[]? weights = null, double[]? aweights = null)
    {
        var w = Enumerable.Range(0, obs).Select(j => (weights?[j] ?? 1) * (aweights?[j] ?? 1)).ToArray();
        double wSum = w.Sum();
        var means = Enumerable.Range(0, vars).Select(i => Enumerable.Range(0, obs).Sum(j => w[j] * x[i * obs + j]) / wSum).ToArray();
        double norm = weights is null && aweights is null ? obs - correction
            : aweights is not null ? wSum - correction * Enumerable.Range(0, obs).Sum(j => w[j] * aweights[j]) / wSum
            : wSum - correction;
        var c = new double[vars * vars];
        for (int a = 0; a < vars; a++)
            for (int b = 0; b < vars; b++)
                c[a * vars + b] = Enumerable.Range(0, obs).Sum(j => w[j] * (x[a * obs + j] - means[a]) * (x[b * obs + j] - means[b])) / norm;
        return c;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(2)]
    public void CovMatchesANaiveComputation(long correction)
    {
        var x = TensorAssert.Doubles(Data, 3, 4);
        TensorAssert.Close(NaiveCov(Data, 3, 4, correction), Torch.Cov(x, correction), 1e-12);
        // the same variables stored column-major (non-contiguous rows)
        var transposed = TensorAssert.Doubles([.. Enumerable.Range(0, 12).Select(k => Data[k % 3 * 4 + k / 3])], 4, 3).T();
        TensorAssert.Close(NaiveCov(Data, 3, 4, correction), Torch.Cov(transposed, correction), 1e-12);
    }

    [Fact]
    public void CovWithFrequencyAndAnalyticWeights()
    {
        var x = TensorAssert.Doubles(Data, 3, 4);
        double[] f = [1, 2, 0, 3], a = [0.5, 1, 2, 0.25];
        TensorAssert.Close(NaiveCov(Data, 3, 4, 1, f), Torch.Cov(x, fweights: TensorAssert.Longs([1, 2, 0, 3])), 1e-12);
        TensorAssert.Close(NaiveCov(Data, 3, 4, 1, aweights: a), Torch.Cov(x, aweights: TensorAssert.Doubles(a)), 1e-12);
        TensorAssert.Close(NaiveCov(Data, 3, 4, 1, f, a), Torch.Cov(x, 1, TensorAssert.Longs([1, 2, 0, 3]), TensorAssert.Doubles(a)), 1e-12);
        TensorAssert.Close(NaiveCov(Data, 3, 4, 0, f, a), Torch.Cov(x, 0, TensorAssert.Longs([1, 2, 0, 3]), TensorAssert.Doubles(a)), 1e-12);
    }

    [Fact]
    public void CovOfAVectorIsItsVarianceAndIntegersBecomeFloat()
    {
        var v = Torch.Cov(TensorAssert.Longs([1, 2, 3, 4, 10]));
        Assert.Equal(DType.Float32, v.DType);
        Assert.Equal(0, v.NDim);
        Assert.Equal(TensorAssert.Doubles([1, 2, 3, 4, 10]).Var().Item<double>(), v.Item<double>(), 5);
    }

    [Fact]
    public void CovRejectsBadArguments()
    {
        var x = TensorAssert.Doubles(Data, 3, 4);
        Assert.Equal("cov(): expected input to have two or fewer dimensions but got an input with 3 dimensions",
            Assert.Throws<ArgumentException>(() => Torch.Cov(Torch.Zeros(2, 2, 2))).Message);
        Assert.Equal("cov(): expected fweights to have integral dtype but got fweights with Double dtype",
            Assert.Throws<ArgumentException>(() => Torch.Cov(x, fweights: TensorAssert.Doubles([1, 1, 1, 1]))).Message);
        Assert.Equal("cov(): expected aweights to have floating point dtype but got aweights with Long dtype",
            Assert.Throws<ArgumentException>(() => Torch.Cov(x, aweights: TensorAssert.Longs([1, 1, 1, 1]))).Message);
        Assert.Equal("cov(): expected fweights to have the same numel as there are observations in the input but got 3 != 4",
            Assert.Throws<ArgumentException>(() => Torch.Cov(x, fweights: TensorAssert.Longs([1, 1, 1]))).Message);
        Assert.Equal("cov(): aweights cannot be negative",
            Assert.Throws<ArgumentException>(() => Torch.Cov(x, aweights: TensorAssert.Doubles([1, -1, 1, 1]))).Message);
    }

    [Fact]
    public void CovAndCorrcoefGradientsPassGradCheck()
    {
        var x = TensorAssert.Leaf(Data, 3, 4);
        Assert.True(Torch.GradCheck(t => Torch.Cov(t[0]), [x]));
        Assert.True(Torch.GradCheck(t => Torch.Cov(t[0], 1, TensorAssert.Longs([1, 2, 1, 3]), t[1]), [x, TensorAssert.Leaf([0.5, 1, 2, 0.25])]));
        Assert.True(Torch.GradCheck(t => Torch.Corrcoef(t[0]), [x]));
    }

    [Fact]
    public void CorrcoefNormalisesTheCovariance()
    {
        var c = NaiveCov(Data, 3, 4, 1);
        var expected = new double[9];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                expected[a * 3 + b] = c[a * 3 + b] / Math.Sqrt(c[a * 4] * c[b * 4]);
        var r = Torch.Corrcoef(TensorAssert.Doubles(Data, 3, 4));
        TensorAssert.Close(expected, r, 1e-12);
        Assert.All(r.Diagonal().ToArray<double>(), v => Assert.Equal(1.0, v, 12));
        Assert.Equal(1.0, Torch.Corrcoef(TensorAssert.Doubles([1, 5, 2])).Item<double>());
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(0.0)]
    [InlineData(double.PositiveInfinity)]
    public void CdistMatchesANaiveLoop(double p)
    {
        var x1 = Torch.Randn([2, 3, 4], DType.Float64, generator: new Generator(1));
        var x2 = Torch.Randn([2, 5, 4], DType.Float64, generator: new Generator(2));
        var a = x1.ToArray<double>();
        var b = x2.ToArray<double>();
        var expected = new double[2 * 3 * 5];
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 5; j++)
                {
                    var d = Enumerable.Range(0, 4).Select(k => Math.Abs(a[(n * 3 + i) * 4 + k] - b[(n * 5 + j) * 4 + k])).ToArray();
                    expected[(n * 3 + i) * 5 + j] = p == 0 ? d.Count(v => v != 0) : double.IsInfinity(p) ? d.Max() : Math.Pow(d.Sum(v => Math.Pow(v, p)), 1 / p);
                }
        var distances = Torch.Cdist(x1, x2, p);
        Assert.Equal(new long[] { 2, 3, 5 }, distances.Shape);
        TensorAssert.Close(expected, distances, 1e-10);
        if (p >= 1 && !double.IsInfinity(p))
            Assert.True(Torch.GradCheck(t => Torch.Cdist(t[0], t[1].Transpose(-1, -2).Contiguous().Transpose(-1, -2), p),
                [x1.Clone().RequiresGrad_(), x2.Clone().RequiresGrad_()]));
    }

    [Fact]
    public void CdistGradientIsZeroAtZeroDistance()
    {
        var x = TensorAssert.Leaf([1, 2, 3, 5], 2, 2);
        Torch.Cdist(x, x.Detach()).Sum().Backward();
        var d = Math.Sqrt(4 + 9);
        // only the off-diagonal distances (between different rows) pull on x
        TensorAssert.Close([-2 / d, -3 / d, 2 / d, 3 / d], x.Grad!, 1e-12);
    }

    [Fact]
    public void CdistRejectsBadArguments()
    {
        Assert.Equal("X1 and X2 must have the same number of columns. X1: 3 X2: 4",
            Assert.Throws<ArgumentException>(() => Torch.Cdist(Torch.Zeros(2, 3), Torch.Zeros(2, 4))).Message);
        Assert.Equal("cdist only supports floating-point dtypes, X1 got: Long",
            Assert.Throws<ArgumentException>(() => Torch.Cdist(Torch.Zeros([2, 3], DType.Int64), Torch.Zeros(2, 3))).Message);
        Assert.Equal("cdist only supports non-negative p values",
            Assert.Throws<ArgumentException>(() => Torch.Cdist(Torch.Zeros(2, 3), Torch.Zeros(2, 3), -1)).Message);
        Assert.Equal("cdist only supports at least 2D tensors, X1 got: 1D",
            Assert.Throws<ArgumentException>(() => Torch.Cdist(Torch.Zeros(3), Torch.Zeros(2, 3))).Message);
    }

    [Fact]
    public void NormalizeDividesByTheClampedNorm()
    {
        var x = TensorAssert.Doubles([3, 4, 0, 0, 1, -1], 3, 2);
        TensorAssert.Close([0.6, 0.8, 0, 0, Math.Sqrt(0.5), -Math.Sqrt(0.5)], Functional.Normalize(x), 1e-12);
        TensorAssert.Close([3.0 / 4, 4.0 / 5, 0, 0, 1.0 / 4, -1.0 / 5], Functional.Normalize(x, 1, 0), 1e-12);
        TensorAssert.Close([3.0 / 7, 4.0 / 7, 0, 0, 0.5, -0.5], Functional.Normalize(x, 1, -1), 1e-12);
        var leaf = TensorAssert.Leaf([3, 4, 0.5, 2, 1, -1], 3, 2);
        Assert.True(Torch.GradCheck(t => Functional.Normalize(t[0].T(), 2, 0), [leaf]));
    }

    [Fact]
    public void RenormScalesOnlySlicesAboveMaxnorm()
    {
        var x = TensorAssert.Doubles([3, 4, 0.3, 0.4, 6, 8], 3, 2);
        double scale = 1 / (5 + 1e-7), big = 1 / (10 + 1e-7);
        TensorAssert.Close([3 * scale, 4 * scale, 0.3, 0.4, 6 * big, 8 * big], x.Renorm(2, 0, 1), 1e-12);
        // along dim 1 the slices are the columns: norms |(3, 0.3, 6)| and |(4, 0.4, 8)|
        var n0 = Math.Sqrt(9 + 0.09 + 36);
        var n1 = Math.Sqrt(16 + 0.16 + 64);
        var c0 = 2 / (n0 + 1e-7);
        var c1 = 2 / (n1 + 1e-7);
        TensorAssert.Close([3 * c0, 4 * c1, 0.3 * c0, 0.4 * c1, 6 * c0, 8 * c1], Torch.Renorm(x, 2, 1, 2), 1e-12);
        TensorAssert.Close([3 / (7 + 1e-7), 4 / (7 + 1e-7), 0.3, 0.4, 6 / (14 + 1e-7), 8 / (14 + 1e-7)], x.Renorm(1, 0, 1), 1e-12);
        var leaf = TensorAssert.Leaf([3, 4, 0.3, 0.4, 6, 8], 3, 2);
        Assert.True(Torch.GradCheck(t => t[0].Renorm(2, 0, 1), [leaf]));
        var inPlace = TensorAssert.Doubles([3, 4, 0.3, 0.4, 6, 8], 3, 2);
        Assert.Same(inPlace, inPlace.Renorm_(2, 0, 1));
        Assert.True(inPlace.AllClose(x.Renorm(2, 0, 1), 0, 0));
        Assert.True(Torch.GradCheck(t => (t[0] * 1).Renorm_(2, 1, 3), [leaf]));
        Assert.Equal("renorm: non-positive-norm not supported", Assert.Throws<ArgumentException>(() => x.Renorm(0, 0, 1)).Message);
        Assert.Equal("renorm: expected maxnorm to be >= 0 but got -1", Assert.Throws<ArgumentException>(() => x.Renorm(2, 0, -1)).Message);
    }
}
