using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>The convolution kernels' special paths (bias gradient kernel, threaded batches) against plain tensor ops.</summary>
public class ConvolutionKernelPathTests
{
    [Theory]
    [InlineData(false, 3, 5)]
    [InlineData(false, 64, 32)]
    [InlineData(true, 3, 5)]
    public void BiasGradientIsTheChannelSumOfTheOutputGradient(bool transposed, int batch, int channels)
    {
        int before = Torch.GetNumThreads();
        Torch.SetNumThreads(2);
        try
        {
            var x = Torch.Randn([batch, 4, 9, 7], DType.Float64);
            var w = transposed ? Torch.Randn([4, channels, 3, 3], DType.Float64) : Torch.Randn([channels, 4, 3, 3], DType.Float64);
            var b = Torch.Randn([channels], DType.Float64, requiresGrad: true);
            var y = transposed ? Functional.ConvTranspose2d(x, w, b, padding: [1, 1]) : Functional.Conv2d(x, w, b, padding: 1);
            var gy = Torch.Randn(y.Shape, DType.Float64);
            y.Backward(gy);
            Assert.True(b.Grad!.AllClose(gy.Sum([0, 2, 3]), 1e-12, 1e-10));
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }

    [Fact]
    public void Float32BiasGradientOfALargeBatchKeepsItsPrecision()
    {
        // 64 * 28 * 28 values of 1/3 per channel: a float running sum drifts by units (each add past 8192 loses 3e-4)
        var b = Torch.Zeros([2], requiresGrad: true);
        var y = Functional.Conv2d(Torch.Zeros(64, 1, 28, 28), Torch.Zeros(2, 1, 3, 3), b, padding: 1);
        y.Backward(Torch.Full([64, 2, 28, 28], 1.0 / 3));
        Assert.Equal(64 * 28 * 28 / 3.0, b.Grad![0].Item<float>(), 64 * 28 * 28 / 3.0 * 1e-6);
    }
}
