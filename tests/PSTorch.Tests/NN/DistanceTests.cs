using PSTorch;
using PSTorch.NN;
using PSTorch.Tests.Engine;
using Xunit;

namespace PSTorch.Tests.NN;

public class DistanceTests
{
    [Fact]
    public void CosineSimilarityAlongDimWithBroadcasting()
    {
        var a = TensorAssert.Doubles([1, 2, 3, 0, 1, 0], 2, 3);
        var b = TensorAssert.Doubles([4, 5, 6], 1, 3);
        double Cos(double[] u, double[] v) => u.Zip(v, (p, q) => p * q).Sum() / Math.Sqrt(u.Sum(p => p * p)) / Math.Sqrt(v.Sum(q => q * q));
        var expected = new[] { Cos([1, 2, 3], [4, 5, 6]), Cos([0, 1, 0], [4, 5, 6]) };
        TensorAssert.Close(expected, new CosineSimilarity().Call(a, b), 1e-15);
        TensorAssert.Close(expected, Functional.CosineSimilarity(a.T(), b.T(), dim: 0), 1e-15);
        // a zero vector has its norm clamped to eps: similarity 0, not NaN
        TensorAssert.Close([0], Functional.CosineSimilarity(Torch.Zeros([1, 3], DType.Float64), b), 0);
        Assert.True(Torch.GradCheck(t => Functional.CosineSimilarity(t[0], t[1]), [TensorAssert.Leaf([1, 2, 3, 0.5, 1, -1], 2, 3), TensorAssert.Leaf([4, 5, -6], 1, 3)]));
        Assert.Equal("CosineSimilarity()", new CosineSimilarity().ToString());
    }

    [Fact]
    public void PairwiseDistanceIsTheNormOfTheDifferencePlusEps()
    {
        var a = TensorAssert.Doubles([1, 2, 3, 0, 1, 0], 2, 3);
        var b = TensorAssert.Doubles([4, 6, 3, 0, 1, 0], 2, 3);
        double eps = 1e-6;
        var euclid = new[] { Math.Sqrt(Math.Pow(-3 + eps, 2) + Math.Pow(-4 + eps, 2) + eps * eps), Math.Sqrt(3 * eps * eps) };
        TensorAssert.Close(euclid, new PairwiseDistance().Call(a, b), 1e-12);
        TensorAssert.Close([7 - 2 * eps + eps, 3 * eps], Functional.PairwiseDistance(a, b, p: 1), 1e-12);
        Assert.Equal([2L, 1], Functional.PairwiseDistance(a, b, keepdim: true).Shape);
        Assert.True(Torch.GradCheck(t => Functional.PairwiseDistance(t[0], t[1], 3), [TensorAssert.Leaf([1, 2, 3, 0.5, 1, -1], 2, 3), TensorAssert.Leaf([4, 5, -6], 3)]));
        Assert.Equal("PairwiseDistance()", new PairwiseDistance().ToString());
    }

    [Fact]
    public void ChannelDropoutDropsWholeChannels()
    {
        var x = Torch.Ones([8, 16, 5], DType.Float64);
        var y = Functional.Dropout1d(x, 0.5, generator: new Generator().ManualSeed(3));
        var channels = y.Amax(2);
        // every channel is all zeros or all 2s
        Assert.True(y.Amin(2).Equal(channels));
        var kept = channels.Eq(2.0).Sum().Item<long>();
        Assert.True(channels.Eq(0.0).LogicalOr(channels.Eq(2.0)).All().Item<bool>());
        Assert.InRange(kept, 32, 96);
        var image = Functional.Dropout2d(Torch.Ones([2, 6, 3, 3], DType.Float64), 0.5, generator: new Generator().ManualSeed(1));
        Assert.True(image.Amin([2, 3]).Equal(image.Amax([2, 3])));
        var layer = new Dropout2d(0.3);
        layer.Eval();
        Assert.Same(x, new Dropout1d().Train(false).Call(x));
        Assert.Equal("Dropout2d(p=0.3, inplace=False)", layer.ToString());
        Assert.Equal("Dropout1d(p=0.5, inplace=False)", new Dropout1d().ToString());
        Assert.StartsWith("dropout1d: Expected 2D or 3D input, but received a 4D input.", Assert.Throws<ArgumentException>(() => Functional.Dropout1d(Torch.Ones(1, 2, 3, 4))).Message);
        Assert.Equal("dropout probability has to be between 0 and 1, but got 1.5", Assert.Throws<ArgumentException>(() => new Dropout2d(1.5)).Message);
        // gradient: the kept channels' scale
        var leaf = Torch.Ones([4, 8, 3], DType.Float64, requiresGrad: true);
        var dropped = Functional.Dropout1d(leaf, 0.25, generator: new Generator().ManualSeed(5));
        dropped.Sum().Backward();
        Assert.True(leaf.Grad!.Equal(dropped.Detach()));
    }
}
