using PSTorch;
using PSTorch.NN;
using PSTorch.Tests.Engine;
using Xunit;

namespace PSTorch.Tests.NN;

public class PixelShuffleTests
{
    [Fact]
    public void ShuffleMakesEachChannelBlockATileAndUnshuffleInvertsIt()
    {
        // 4 channels of 1 pixel each become one 2x2 tile: out[0, 0, i, j] = in[0, 2 i + j, 0, 0]
        var x = TensorAssert.Doubles([1, 2, 3, 4], 1, 4, 1, 1);
        var y = new PixelShuffle(2).Call(x);
        Assert.Equal([1L, 1, 2, 2], y.Shape);
        TensorAssert.Close([1, 2, 3, 4], y, 0);
        var big = Torch.Arange(2 * 8 * 3 * 2, dtype: DType.Float64).Reshape(2, 8, 3, 2);
        var shuffled = Functional.PixelShuffle(big, 2);
        Assert.Equal([2L, 2, 6, 4], shuffled.Shape);
        // out[n, c, h r + i, w r + j] = in[n, c r r + i r + j, h, w]
        Assert.Equal(big.Index(1, 4 + 2 * 1 + 0, 2, 1).Item<double>(), shuffled.Index(1, 1, 2 * 2 + 1, 2 * 1 + 0).Item<double>());
        Assert.True(Functional.PixelUnshuffle(shuffled, 2).Equal(big));
        Assert.Equal([8L, 1, 1], new PixelUnshuffle(2).Call(Torch.Randn(2, 2, 2)).Shape);
        Assert.True(Torch.GradCheck(t => Functional.PixelShuffle(t[0], 2), [TensorAssert.Leaf(Enumerable.Range(0, 16).Select(i => i * 0.1).ToArray(), 4, 2, 2)]));
        Assert.True(Torch.GradCheck(t => Functional.PixelUnshuffle(t[0], 2), [TensorAssert.Leaf(Enumerable.Range(0, 16).Select(i => i * 0.1).ToArray(), 1, 4, 4)]));
    }

    [Fact]
    public void ErrorsAndReprs()
    {
        Assert.Equal("pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=5 is not divisible by 4",
            Assert.Throws<ArgumentException>(() => Functional.PixelShuffle(Torch.Randn(1, 5, 2, 2), 2)).Message);
        Assert.Equal("pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension(s)",
            Assert.Throws<ArgumentException>(() => Functional.PixelShuffle(Torch.Randn(4, 2), 2)).Message);
        Assert.Equal("pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=5 is not divisible by 2",
            Assert.Throws<ArgumentException>(() => Functional.PixelUnshuffle(Torch.Randn(1, 5, 4), 2)).Message);
        Assert.Equal("pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=3 is not divisible by 2",
            Assert.Throws<ArgumentException>(() => Functional.PixelUnshuffle(Torch.Randn(1, 4, 3), 2)).Message);
        Assert.Equal("PixelShuffle(upscale_factor=3)", new PixelShuffle(3).ToString());
        Assert.Equal("PixelUnshuffle(downscale_factor=2)", new PixelUnshuffle(2).ToString());
    }
}
