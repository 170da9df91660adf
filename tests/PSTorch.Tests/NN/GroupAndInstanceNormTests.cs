using PSTorch;
using PSTorch.NN;
using PSTorch.Tests.Engine;
using Xunit;

namespace PSTorch.Tests.NN;

public class GroupAndInstanceNormTests
{
    /// <summary>Normalises consecutive blocks of blockSize values of x (row-major) with their mean and biased variance.</summary>
    static double[] NormaliseBlocks(double[] x, int blockSize, double eps)
    {
        var y = new double[x.Length];
        for (int start = 0; start < x.Length; start += blockSize)
        {
            var block = x.AsSpan(start, blockSize).ToArray();
            double mean = block.Average(), variance = block.Select(v => (v - mean) * (v - mean)).Average();
            for (int i = 0; i < blockSize; i++) y[start + i] = (block[i] - mean) / Math.Sqrt(variance + eps);
        }
        return y;
    }

    static double[] Values(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 1).ToArray();
    }

    [Fact]
    public void GroupNormNormalisesEachSamplesGroupThenAppliesTheChannelAffine()
    {
        // [N=2, C=4, L=3], 2 groups of 2 channels: blocks of 6 consecutive values
        var data = Values(24, 1);
        var gn = new GroupNorm(2, 4, dtype: DType.Float64);
        Assert.Equal(["weight", "bias"], gn.NamedParameters().Select(p => p.Name));
        TensorAssert.Close([1, 1, 1, 1], gn.Weight!, 0);
        TensorAssert.Close([0, 0, 0, 0], gn.Bias!, 0);
        var x = TensorAssert.Doubles(data, 2, 4, 3);
        TensorAssert.Close(NormaliseBlocks(data, 6, 1e-5), gn.Call(x), 1e-12);

        double[] w = [0.5, -1, 2, 3], b = [0.1, 0.2, -0.3, 0.4];
        var expected = NormaliseBlocks(data, 6, 1e-3).Select((v, i) => v * w[i / 3 % 4] + b[i / 3 % 4]).ToArray();
        TensorAssert.Close(expected, Functional.GroupNorm(x, 2, TensorAssert.Doubles(w), TensorAssert.Doubles(b), 1e-3), 1e-12);
        // a non-contiguous view normalises the values it shows
        var transposed = TensorAssert.Doubles(data, 3, 4, 2).Permute(2, 1, 0);
        TensorAssert.Close(NormaliseBlocks(transposed.Contiguous().ToArray<double>(), 6, 1e-5), Functional.GroupNorm(transposed, 2), 1e-12);

        Assert.True(Torch.GradCheck(t => Functional.GroupNorm(t[0], 2, t[1], t[2]),
            [TensorAssert.Leaf(data, 2, 4, 3), TensorAssert.Leaf(w), TensorAssert.Leaf(b)]));
        Assert.True(Torch.GradCheck(t => Functional.GroupNorm(t[0], 1), [TensorAssert.Leaf(Values(16, 2), 2, 2, 2, 2)]));
    }

    [Fact]
    public void GroupNormErrorsAndRepr()
    {
        Assert.Equal("GroupNorm(2, 4, eps=1e-05, affine=True)", new GroupNorm(2, 4).ToString());
        Assert.Equal("GroupNorm(1, 3, eps=0.001, affine=False)", new GroupNorm(1, 3, 1e-3, affine: false).ToString());
        Assert.Empty(new GroupNorm(1, 3, affine: false).Parameters());
        Assert.Equal("num_channels must be divisible by num_groups", Assert.Throws<ArgumentException>(() => new GroupNorm(2, 3)).Message);
        Assert.Equal("Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 3, 4] and num_groups=2",
            Assert.Throws<ArgumentException>(() => Functional.GroupNorm(Torch.Randn(2, 3, 4), 2)).Message);
        Assert.Equal("Expected at least 2 dimensions for input tensor but received 1",
            Assert.Throws<ArgumentException>(() => Functional.GroupNorm(Torch.Randn(4), 2)).Message);
    }

    [Fact]
    public void InstanceNormNormalisesEachChannelOfEachSample()
    {
        var data = Values(24, 3);
        var x = TensorAssert.Doubles(data, 2, 3, 4);
        var norm = new InstanceNorm1d(3);
        Assert.Empty(norm.Parameters());
        Assert.Empty(norm.Buffers());
        TensorAssert.Close(NormaliseBlocks(data, 4, 1e-5), norm.Call(x), 1e-12);
        // unbatched [C, L] as a batch of one
        TensorAssert.Close(NormaliseBlocks(data[..12], 4, 1e-5), norm.Call(x.Select(0, 0)), 1e-12);
        Assert.Equal([3L, 4], norm.Call(x.Select(0, 0)).Shape);
        var norm2d = new InstanceNorm2d(3, affine: true, dtype: DType.Float64);
        Assert.Equal(["weight", "bias"], norm2d.NamedParameters().Select(p => p.Name));
        TensorAssert.Close(NormaliseBlocks(data, 4, 1e-5), norm2d.Call(TensorAssert.Doubles(data, 2, 3, 2, 2)), 1e-12);
        Assert.True(Torch.GradCheck(t => Functional.InstanceNorm(t[0], weight: t[1], bias: t[2]),
            [TensorAssert.Leaf(data, 2, 3, 4), TensorAssert.Leaf([0.5, 2, -1]), TensorAssert.Leaf([0.1, 0, 0.3])]));
    }

    [Fact]
    public void InstanceNormTracksTheBatchMeanOfTheInstanceStatistics()
    {
        var data = Values(24, 4);
        var x = TensorAssert.Doubles(data, 2, 3, 4);
        var norm = new InstanceNorm1d(3, trackRunningStats: true, dtype: DType.Float64);
        norm.Call(x);
        var mean = x.Mean(2).Mean(0);
        var unbiased = x.Var(2, correction: 1).Mean(0);
        TensorAssert.Close((mean * 0.1).ToArray<double>(), norm.RunningMean!, 1e-12);
        TensorAssert.Close((unbiased * 0.1 + 0.9).ToArray<double>(), norm.RunningVar!, 1e-12);
        Assert.Equal(1L, norm.NumBatchesTracked!.Item<long>());
        norm.Eval();
        var expected = (x - norm.RunningMean!.View(1, 3, 1)) / (norm.RunningVar!.View(1, 3, 1) + 1e-5).Sqrt();
        TensorAssert.Close(expected.ToArray<double>(), norm.Call(x), 1e-12);
    }

    [Fact]
    public void InstanceNormErrorsAndReprs()
    {
        Assert.Equal("InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)", new InstanceNorm1d(3).ToString());
        Assert.Equal("InstanceNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", new InstanceNorm2d(8, affine: true, trackRunningStats: true).ToString());
        Assert.Equal("expected 2D or 3D input (got 4D input)", Assert.Throws<ArgumentException>(() => new InstanceNorm1d(3).Call(Torch.Randn(1, 3, 4, 4))).Message);
        Assert.Equal("expected 3D or 4D input (got 2D input)", Assert.Throws<ArgumentException>(() => new InstanceNorm2d(3).Call(Torch.Randn(3, 4))).Message);
        Assert.Equal("expected input's size at dim=1 to match num_features (3), but got: 2.",
            Assert.Throws<ArgumentException>(() => new InstanceNorm1d(3, affine: true).Call(Torch.Randn(4, 2, 5))).Message);
    }

    [Fact]
    public void BatchNorm3dNormalisesFiveDimensionalInputs()
    {
        var bn = new BatchNorm3d(2, dtype: DType.Float64);
        var x = TensorAssert.Doubles(Values(32, 5), 2, 2, 2, 2, 2);
        var mean = x.Mean([0, 2, 3, 4], keepDim: true);
        var variance = x.Var([0, 2, 3, 4], correction: 0, keepDim: true);
        TensorAssert.Close(((x - mean) / (variance + 1e-5).Sqrt()).ToArray<double>(), bn.Call(x), 1e-12);
        Assert.Equal("expected 5D input (got 4D input)", Assert.Throws<ArgumentException>(() => bn.Call(Torch.Randn(2, 2, 2, 2))).Message);
        Assert.Equal("BatchNorm3d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", bn.ToString());
    }
}
