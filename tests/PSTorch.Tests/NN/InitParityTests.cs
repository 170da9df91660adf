using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>
/// torch.nn.init's bounds and standard deviations (torch/nn/init.py): each initialiser draws exactly what
/// uniform_/normal_ draw with the bound PyTorch computes, from the same generator state.
/// </summary>
[Collection("DefaultGenerator")]
public class InitParityTests
{
    [Theory]
    [InlineData("linear", null, 1.0)]
    [InlineData("conv2d", null, 1.0)]
    [InlineData("sigmoid", null, 1.0)]
    [InlineData("tanh", null, 5.0 / 3)]
    [InlineData("relu", null, 1.4142135623730951)]
    [InlineData("leaky_relu", null, 1.4141428569978354)]
    [InlineData("leaky_relu", 0.2, 1.3867504905630728)]
    [InlineData("selu", null, 0.75)]
    public void CalculateGain(string nonlinearity, double? param, double expected) =>
        Assert.Equal(expected, Init.CalculateGain(nonlinearity, param), 15);

    static Tensor Uniform(long[] shape, double bound, long seed) => Init.Uniform_(Torch.Empty(shape), -bound, bound, new Generator(seed));

    [Fact]
    public void KaimingAndXavierDrawWithPyTorchsBounds()
    {
        long[] shape = [6, 4, 3, 3];
        long fanIn = 4 * 9, fanOut = 6 * 9;
        // kaiming_uniform_(a=sqrt(5)) as Linear/Conv reset_parameters: gain sqrt(2 / 6), bound sqrt(3) gain / sqrt(fan_in) = 1 / sqrt(fan_in)
        Assert.Equal(Uniform(shape, 1 / Math.Sqrt(fanIn), 1).ToArray<float>(),
            Init.KaimingUniform_(Torch.Empty(shape), a: Math.Sqrt(5), generator: new Generator(1)).ToArray<float>());
        Assert.Equal(Uniform(shape, Math.Sqrt(3.0) * Math.Sqrt(2.0) / Math.Sqrt(fanOut), 2).ToArray<float>(),
            Init.KaimingUniform_(Torch.Empty(shape), mode: "fan_out", nonlinearity: "relu", generator: new Generator(2)).ToArray<float>());
        Assert.Equal(Init.Normal_(Torch.Empty(shape), 0, Math.Sqrt(2.0 / (1 + 0.04)) / Math.Sqrt(fanIn), new Generator(3)).ToArray<float>(),
            Init.KaimingNormal_(Torch.Empty(shape), a: 0.2, generator: new Generator(3)).ToArray<float>());
        Assert.Equal(Uniform(shape, 2.0 * Math.Sqrt(6.0 / (fanIn + fanOut)), 4).ToArray<float>(),
            Init.XavierUniform_(Torch.Empty(shape), gain: 2.0, generator: new Generator(4)).ToArray<float>());
        Assert.Equal(Init.Normal_(Torch.Empty(shape), 0, Math.Sqrt(2.0 / (fanIn + fanOut)), new Generator(5)).ToArray<float>(),
            Init.XavierNormal_(Torch.Empty(shape), generator: new Generator(5)).ToArray<float>());
        Assert.Equal("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
            Assert.Throws<ArgumentException>(() => Init.XavierUniform_(Torch.Empty(3))).Message);
    }

    [Fact]
    public void LinearAndConvResetDrawWeightThenBiasWithBoundOneOverSqrtFanIn()
    {
        Torch.ManualSeed(7);
        var linear = new Linear(5, 3);
        var conv = new Conv2d(2, 4, 3);
        var g = new Generator(7);
        double linearBound = 1 / Math.Sqrt(5), convBound = 1 / Math.Sqrt(2 * 9);
        Assert.Equal(Init.Uniform_(Torch.Empty(3, 5), -linearBound, linearBound, g).ToArray<float>(), linear.Weight.ToArray<float>());
        Assert.Equal(Init.Uniform_(Torch.Empty(3), -linearBound, linearBound, g).ToArray<float>(), linear.Bias!.ToArray<float>());
        Assert.Equal(Init.Uniform_(Torch.Empty(4, 2, 3, 3), -convBound, convBound, g).ToArray<float>(), conv.Weight.ToArray<float>());
        Assert.Equal(Init.Uniform_(Torch.Empty(4), -convBound, convBound, g).ToArray<float>(), conv.Bias!.ToArray<float>());
    }

    [Fact]
    public void Eye_FillsTheIdentity_OfAnyRectangle()
    {
        var w = Torch.Randn(2, 3).RequiresGrad_();
        Assert.Same(w, Init.Eye_(w));
        Assert.Equal([1f, 0, 0, 0, 1, 0], w.ToArray<float>());
        Assert.Null(w.GradFn);
        Assert.Equal([1.0, 0, 0, 1, 0, 0], Init.Eye_(Torch.Empty([3, 2], DType.Float64)).ToArray<double>());
        Assert.Equal("Only tensors with 2 dimensions are supported", Assert.Throws<ArgumentException>(() => Init.Eye_(Torch.Empty(2, 2, 2))).Message);
    }

    [Fact]
    public void Dirac_PassesInputChannelsThrough_PerGroup()
    {
        var w = Init.Dirac_(Torch.Randn(4, 3, 3, 3), groups: 2);
        var values = w.ToArray<float>();
        for (long o = 0; o < 4; o++)
            for (long i = 0; i < 3; i++)
                for (long h = 0; h < 3; h++)
                    for (long k = 0; k < 3; k++)
                    {
                        // two output channels per group, so input channels 0 and 1 pass through in each group
                        bool one = o % 2 == i && h == 1 && k == 1;
                        Assert.Equal(one ? 1f : 0f, values[((o * 3 + i) * 3 + h) * 3 + k]);
                    }
        // a convolution with the Dirac weight returns its input (3-D: Conv1d, even kernel: the centre is index 2 of 4)
        var x = Torch.Randn(1, 2, 7);
        var w1 = Init.Dirac_(Torch.Empty(2, 2, 3));
        Assert.Equal(x.ToArray<float>(), Functional.Conv1d(x, w1, padding: 1).ToArray<float>());
        Assert.Equal([0f, 0, 1, 0], Init.Dirac_(Torch.Empty(1, 1, 4)).ToArray<float>());
        Assert.Equal("Only tensors with 3, 4, or 5 dimensions are supported", Assert.Throws<ArgumentException>(() => Init.Dirac_(Torch.Empty(2, 2))).Message);
        Assert.Equal("dim 0 must be divisible by groups", Assert.Throws<ArgumentException>(() => Init.Dirac_(Torch.Empty(3, 2, 3), groups: 2)).Message);
    }

    [Fact]
    public void Sparse_ZeroesTheSameNumberOfRowsInEveryColumn()
    {
        var w = Init.Sparse_(Torch.Empty(10, 6), sparsity: 0.25, std: 2, generator: new Generator(3));
        var values = w.ToArray<float>();
        for (int c = 0; c < 6; c++)
            Assert.Equal(3, Enumerable.Range(0, 10).Count(r => values[r * 6 + c] == 0)); // ceil(0.25 * 10)
        // the rest are the normal draws with std 2, from the same generator state
        var normal = Init.Normal_(Torch.Empty(10, 6), 0, 2, new Generator(3)).ToArray<float>();
        Assert.All(Enumerable.Range(0, 60).Where(i => values[i] != 0), i => Assert.Equal(normal[i], values[i]));
        Assert.Equal("Only tensors with 2 dimensions are supported", Assert.Throws<ArgumentException>(() => Init.Sparse_(Torch.Empty(4), 0.5)).Message);
    }

    [Fact]
    public void TruncNormal_MapsUniformDrawsThroughErfinv_WithinTheBounds()
    {
        var w = Init.TruncNormal_(Torch.Empty([20000], DType.Float64), mean: 1, std: 2, a: -1, b: 4, generator: new Generator(5));
        var values = w.ToArray<double>();
        Assert.All(values, v => Assert.InRange(v, -1, 4));
        // PyTorch's steps on the same uniform draws: u in [2 cdf(-1) - 1, 2 cdf(1.5) - 1], x = mean + std sqrt(2) erfinv(u)
        static double Cdf(double z) => 0.5 * (1 + Torch.FromArray(new[] { z / Math.Sqrt(2) }).Erf().Item<double>());
        var u = Init.Uniform_(Torch.Empty([20000], DType.Float64), 2 * Cdf(-1) - 1, 2 * Cdf(1.5) - 1, new Generator(5));
        var expected = (u.Erfinv() * (2 * Math.Sqrt(2)) + 1).Clamp(-1.0, 4.0).ToArray<double>();
        Assert.Equal(expected, values);
        // the truncated normal's mean: mean + std (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha)), alpha = -1, beta = 1.5
        static double Phi(double z) => Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI);
        double truncatedMean = 1 + 2 * (Phi(-1) - Phi(1.5)) / (Cdf(1.5) - Cdf(-1));
        Assert.InRange(values.Average(), truncatedMean - 0.03, truncatedMean + 0.03);
        Assert.Null(Init.TruncNormal_(Torch.Empty(3, 3).RequiresGrad_()).GradFn);
        Assert.Equal("std must be positive, got 0", Assert.Throws<ArgumentException>(() => Init.TruncNormal_(Torch.Empty(3), std: 0)).Message);
    }
}
