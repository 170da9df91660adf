using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>
/// multinomial, poisson and the transformed distributions (exponential_, geometric_, cauchy_, log_normal_, random_()):
/// support, moments within generous bounds at fixed seeds, reproducibility through a Generator, and errors.
/// </summary>
public class SamplingTests
{
    const long Draws = 200_000;

    static double[] Values(Tensor t) => t.To(DType.Float64).ToArray<double>();

    static (double Mean, double Variance) Moments(double[] v)
    {
        double mean = v.Average();
        return (mean, v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }

    [Fact]
    public void ExponentialHasMeanAndVarianceOfItsRate()
    {
        var v = Values(Torch.Empty([Draws], DType.Float64).Exponential_(2.0, new Generator(1)));
        Assert.All(v, x => Assert.True(x >= 0 && double.IsFinite(x)));
        var (mean, variance) = Moments(v);
        Assert.InRange(mean, 0.49, 0.51);
        Assert.InRange(variance, 0.24, 0.26);
    }

    [Fact]
    public void GeometricCountsTrialsFromOneInIntegerAndFloatTensors()
    {
        foreach (var dtype in new[] { DType.Int64, DType.Float32 })
        {
            var t = Torch.Empty([Draws], dtype).Geometric_(0.25, new Generator(2));
            Assert.Equal(dtype, t.DType);
            var v = Values(t);
            Assert.All(v, x => Assert.True(x >= 1 && x == Math.Floor(x)));
            var (mean, variance) = Moments(v);
            Assert.InRange(mean, 3.95, 4.05);                 // 1 / p
            Assert.InRange(variance, 11.6, 12.4);             // (1 - p) / p^2
            Assert.InRange(v.Count(x => x == 1) / (double)Draws, 0.245, 0.255);
        }
    }

    [Fact]
    public void CauchyHasItsMedianAndQuartiles()
    {
        var v = Values(Torch.Empty([Draws], DType.Float64).Cauchy_(3, 2, new Generator(3)));
        Array.Sort(v);
        Assert.InRange(v[Draws / 2], 2.95, 3.05);
        Assert.InRange(v[Draws / 4], 0.9, 1.1);              // median - sigma
        Assert.InRange(v[3 * Draws / 4], 4.9, 5.1);          // median + sigma
    }

    [Fact]
    public void LogNormalIsTheExpOfANormal()
    {
        var v = Values(Torch.Empty([Draws], DType.Float32).LogNormal_(0.5, 0.25, new Generator(4)));
        Assert.All(v, x => Assert.True(x > 0));
        var (mean, variance) = Moments(v.Select(x => Math.Log(x)).ToArray());
        Assert.InRange(mean, 0.495, 0.505);
        Assert.InRange(variance, 0.0610, 0.0640);
    }

    [Theory]
    [InlineData(DType.Float32, 16777216.0)]
    [InlineData(DType.Float16, 2048.0)]
    [InlineData(DType.UInt8, 255.0)]
    [InlineData(DType.Int16, 32767.0)]
    [InlineData(DType.Bool, 1.0)]
    public void RandomWithoutBoundsCoversTheDtypeRange(DType dtype, double max)
    {
        var v = Values(Torch.Empty([20_000], dtype).Random_(new Generator(5)));
        Assert.All(v, x => Assert.True(x >= 0 && x <= max && x == Math.Floor(x)));
        Assert.InRange(v.Average(), 0.45 * max, 0.55 * max);
    }

    [Fact]
    public void RandomWithBoundsFillsFloatTensorsWithIntegers()
    {
        var v = Values(Torch.Empty([10_000]).Random_(-3, 4, new Generator(6)));
        Assert.Equal(Enumerable.Range(-3, 7).Select(i => (double)i), v.Distinct().Order());
    }

    [Fact]
    public void TheSameGeneratorStateReproducesEveryDistribution()
    {
        Func<Generator, Tensor>[] draws =
        [
            g => Torch.Empty([64]).Exponential_(1.5, g),
            g => Torch.Empty([64], DType.Int32).Geometric_(0.3, g),
            g => Torch.Empty([64], DType.Float64).Cauchy_(0, 1, g),
            g => Torch.Empty([64]).LogNormal_(0, 1, g),
            g => Torch.Empty([64], DType.Int64).Random_(g),
            g => Torch.Multinomial(Torch.Ones(3, 10), 6, false, g),
            g => Torch.Multinomial(Torch.Ones(3, 10), 40, true, g),
            g => Torch.Poisson(TensorAssert.Doubles([0.5, 3, 12, 400]).Repeat(16), g),
        ];
        foreach (var draw in draws)
        {
            var first = Values(draw(new Generator(77)));
            Assert.Equal(first, Values(draw(new Generator(77))));
            Assert.NotEqual(first, Values(draw(new Generator(78))));
        }
    }

    [Fact]
    public void ConsecutiveDrawsFromOneGeneratorDiffer()
    {
        var g = new Generator(8);
        Assert.NotEqual(Values(Torch.Empty([16]).Exponential_(1, g)), Values(Torch.Empty([16]).Exponential_(1, g)));
    }

    [Fact]
    public void FillsWriteIntoNonContiguousViews()
    {
        var t = Torch.Zeros(4, 6);
        var view = t.T();
        view.Exponential_(1, new Generator(9));
        Assert.All(Values(t), x => Assert.True(x >= 0));
        Assert.True(t.Gt(0).All().Item<bool>());
    }

    [Fact]
    public void MultinomialWithReplacementFollowsTheWeights()
    {
        var weights = TensorAssert.Doubles([0, 1, 3, 0, 4]);
        var samples = Torch.Multinomial(weights, 100_000, replacement: true, new Generator(10));
        Assert.Equal(DType.Int64, samples.DType);
        Assert.Equal(new long[] { 100_000 }, samples.Shape);
        var counts = samples.Bincount(minlength: 5).ToArray<long>();
        Assert.Equal(0, counts[0]);
        Assert.Equal(0, counts[3]);
        Assert.InRange(counts[1] / 1e5, 0.120, 0.130);
        Assert.InRange(counts[2] / 1e5, 0.370, 0.380);
        Assert.InRange(counts[4] / 1e5, 0.495, 0.505);
    }

    [Fact]
    public void MultinomialWithoutReplacementDrawsDistinctCategoriesPerRow()
    {
        var weights = Torch.Rand([50, 8], generator: new Generator(11)).MaskedFill(Torch.Arange(8).Eq(5), 0);
        var samples = Torch.Multinomial(weights, 7, generator: new Generator(12));
        Assert.Equal(new long[] { 50, 7 }, samples.Shape);
        var rows = samples.ToArray<long>().Chunk(7).ToArray();
        Assert.All(rows, row => Assert.Equal(7, row.Distinct().Count()));
        Assert.All(rows, row => Assert.DoesNotContain(5L, row));   // a zero weight is drawn only when nothing else is left
    }

    [Fact]
    public void MultinomialWithoutReplacementPicksFirstInProportionToWeight()
    {
        var weights = Torch.FromArray(new float[] { 1, 2, 7 }).Unsqueeze(0).Expand(60_000, 3);
        var first = Torch.Multinomial(weights, 2, generator: new Generator(13)).Select(1, 0);
        var counts = first.Bincount(minlength: 3).ToArray<long>();
        Assert.InRange(counts[0] / 6e4, 0.09, 0.11);
        Assert.InRange(counts[1] / 6e4, 0.19, 0.21);
        Assert.InRange(counts[2] / 6e4, 0.69, 0.71);
    }

    [Fact]
    public void MultinomialOfOneSampleKeepsTheSampleDimension()
    {
        Assert.Equal(new long[] { 1 }, Torch.Multinomial(Torch.Ones(4), 1).Shape);
        Assert.Equal(new long[] { 3, 1 }, Torch.Multinomial(Torch.Ones(3, 4), 1, true).Shape);
    }

    [Fact]
    public void MultinomialRejectsWhatPyTorchRejects()
    {
        Assert.Equal("invalid multinomial distribution (sum of probabilities <= 0)",
            Assert.Throws<ArgumentException>(() => Torch.Multinomial(Torch.Zeros(2, 3), 2, true)).Message);
        Assert.Equal("invalid multinomial distribution (sum of probabilities <= 0)",
            Assert.Throws<ArgumentException>(() => Torch.Multinomial(Torch.Zeros(3), 2)).Message);
        Assert.Equal("cannot sample n_sample > prob_dist.size(-1) samples without replacement",
            Assert.Throws<ArgumentException>(() => Torch.Multinomial(Torch.Ones(3), 4)).Message);
        Assert.Equal("invalid multinomial distribution (encountering probability entry < 0)",
            Assert.Throws<ArgumentException>(() => Torch.Multinomial(TensorAssert.Doubles([1, -1, 2]), 2, true)).Message);
        Assert.Equal("probability tensor contains either `inf`, `nan` or element < 0",
            Assert.Throws<ArgumentException>(() => Torch.Multinomial(TensorAssert.Doubles([1, -1, 2]), 2)).Message);
        Assert.Equal("invalid multinomial distribution (encountering probability entry = infinity or NaN)",
            Assert.Throws<ArgumentException>(() => Torch.Multinomial(TensorAssert.Doubles([1, double.NaN]), 2, true)).Message);
        Assert.Equal("multinomial only supports floating-point dtypes for input, got: Long",
            Assert.Throws<ArgumentException>(() => Torch.Multinomial(Torch.Arange(3), 1)).Message);
        Assert.Equal("prob_dist must be 1 or 2 dim", Assert.Throws<ArgumentException>(() => Torch.Multinomial(Torch.Ones(2, 2, 2), 1)).Message);
        Assert.Equal("cannot sample n_sample <= 0 samples", Assert.Throws<ArgumentException>(() => Torch.Multinomial(Torch.Ones(2), 0)).Message);
    }

    [Fact]
    public void DistributionParametersAndDtypesAreChecked()
    {
        Assert.Equal("exponential_ expects lambda > 0.0, but found lambda=0", Assert.Throws<ArgumentException>(() => Torch.Empty(2).Exponential_(0)).Message);
        Assert.Equal("geometric_ expects p to be in (0, 1), but got p=1", Assert.Throws<ArgumentException>(() => Torch.Empty(2).Geometric_(1)).Message);
        Assert.Equal("cauchy_ expects sigma > 0.0, but found sigma=-1", Assert.Throws<ArgumentException>(() => Torch.Empty(2).Cauchy_(0, -1)).Message);
        Assert.Equal("log_normal_ expects std > 0.0, but found std=0", Assert.Throws<ArgumentException>(() => Torch.Empty(2).LogNormal_(0, 0)).Message);
        Assert.Equal("\"exponential_cpu\" not implemented for 'Long'", Assert.Throws<NotSupportedException>(() => Torch.Zeros([2], DType.Int64).Exponential_()).Message);
        Assert.Throws<InvalidOperationException>(() => Torch.Zeros([2], requiresGrad: true).Exponential_());
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(4.0)]
    [InlineData(9.9)]
    [InlineData(10.0)]
    [InlineData(35.0)]
    [InlineData(2500.0)]
    public void PoissonHasMeanAndVarianceOfItsRate(double rate)
    {
        var t = Torch.Poisson(Torch.Full([100_000], rate, DType.Float32), new Generator(14));
        Assert.Equal(DType.Float32, t.DType);
        var v = Values(t);
        Assert.All(v, x => Assert.True(x >= 0 && x == Math.Floor(x)));
        var (mean, variance) = Moments(v);
        Assert.InRange(mean, rate - 0.02 * Math.Sqrt(rate) - 1e-9, rate + 0.02 * Math.Sqrt(rate));
        Assert.InRange(variance, 0.97 * rate, 1.03 * rate);
        // the probability of the mode's neighbourhood: P(X = floor(rate)) against the exact mass
        long mode = (long)Math.Floor(rate);
        double logMass = -rate + mode * Math.Log(rate) - Enumerable.Range(1, (int)mode).Sum(i => Math.Log(i));
        Assert.InRange(v.Count(x => x == mode) / 1e5, Math.Exp(logMass) - 0.006, Math.Exp(logMass) + 0.006);
    }

    [Fact]
    public void PoissonOfMixedRatesKeepsShapeAndZeros()
    {
        var rates = TensorAssert.Doubles([0, 2, 0, 50, 7, 1000], 2, 3).T();
        var draws = Torch.Poisson(rates, new Generator(15));
        Assert.Equal(new long[] { 3, 2 }, draws.Shape);
        Assert.Equal(0, draws[0, 0].Item<double>());
        Assert.Equal(0, draws[2, 0].Item<double>());
        Assert.InRange(draws[2, 1].Item<double>(), 850, 1150);
        Assert.Equal("invalid Poisson rate, expected rate to be non-negative",
            Assert.Throws<ArgumentException>(() => Torch.Poisson(TensorAssert.Doubles([1, -1]))).Message);
        Assert.Throws<NotSupportedException>(() => Torch.Poisson(TensorAssert.Longs([1, 2])));
    }
}
