using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>
/// torch.nn.init's bounds and standard deviations (torch/nn/init.py): each initialiser draws exactly what
/// uniform_/normal_ draw with the bound PyTorch computes, from the same generator state.
/// </summary>
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
}
