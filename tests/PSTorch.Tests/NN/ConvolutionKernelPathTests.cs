using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>The convolution kernels' special paths (bias gradient kernel, threaded batches) against plain tensor ops.</summary>
// Torch.SetNumThreads is process-wide: classes that change it run one at a time.
[Collection("NumThreads")]
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

    [Theory]
    [InlineData(1, 16, 1)]
    [InlineData(2, 24, 2)]
    public void NarrowPatchWeightGradientGradCheck(int inChannels, int outChannels, int groups)
    {
        // a patch (in/groups * 3 * 3 = 9) narrower than a GEMM tile and more output channels: the transposed weight-gradient product
        var x = Torch.Randn([2, inChannels, 5, 6], DType.Float64, requiresGrad: true);
        var w = Torch.Randn([outChannels, inChannels / groups, 3, 3], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.Conv2d(t[0], t[1], null, [1, 2], 1, null, groups), [x, w]));
    }

    [Fact]
    public void NarrowPatchWeightGradientOfAThreadedBatchInFloat32MatchesFloat64()
    {
        int before = Torch.GetNumThreads();
        Torch.SetNumThreads(2);
        try
        {
            var x = Torch.Randn([64, 1, 28, 28], DType.Float64);
            var gy = Torch.Randn([64, 32, 28, 28], DType.Float64);
            var w64 = Torch.Randn([32, 1, 3, 3], DType.Float64, requiresGrad: true);
            var w32 = w64.Detach().To(DType.Float32).RequiresGrad_();
            Functional.Conv2d(x, w64, padding: 1).Backward(gy);
            Functional.Conv2d(x.To(DType.Float32), w32, padding: 1).Backward(gy.To(DType.Float32));
            Assert.True(w32.Grad!.To(DType.Float64).AllClose(w64.Grad!, 1e-4, 1e-2));
            // the reference: gW[o, 0, a, b] = sum over images and positions of gy[n, o, i, j] * x[n, 0, i + a - 1, j + b - 1]
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                {
                    // output rows/columns whose tap (a, b) falls inside the image
                    int i0 = Math.Max(0, 1 - a), i1 = Math.Min(28, 29 - a), j0 = Math.Max(0, 1 - b), j1 = Math.Min(28, 29 - b);
                    var taps = x.Narrow(2, i0 + a - 1, i1 - i0).Narrow(3, j0 + b - 1, j1 - j0);
                    var expected = (gy.Narrow(2, i0, i1 - i0).Narrow(3, j0, j1 - j0) * taps).Sum([0, 2, 3]);
                    Assert.True(w64.Grad!.Select(3, b).Select(2, a).Select(1, 0).AllClose(expected, 1e-10, 1e-8));
                }
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(2, 0)]
    [InlineData(0, 5)]
    public void NarrowPatchWeightGradientOfAnInfiniteInputIsInfiniteNotNaN(int row, int column)
    {
        var x = Torch.Randn([2, 1, 6, 6]);
        x[1, 0, row, column] = float.PositiveInfinity;
        var gy = Torch.Randn([2, 4, 6, 6]);
        var w = Torch.Randn([4, 1, 3, 3], requiresGrad: true);
        Functional.Conv2d(x, w, padding: 1).Backward(gy);
        var grad = w.Grad!.ToArray<float>();
        // tap (a, b) meets the infinite input at output (row - a + 1, column - b + 1) when that lies in the image,
        // giving +-inf by the sign of the gradient there, and never otherwise
        for (int o = 0; o < 4; o++)
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                {
                    int i = row - a + 1, j = column - b + 1;
                    float value = grad[(o * 3 + a) * 3 + b];
                    if (i < 0 || i >= 6 || j < 0 || j >= 6) Assert.True(float.IsFinite(value), $"tap ({a}, {b}) of channel {o}: {value}");
                    else Assert.Equal(gy[1, o, i, j].Item<float>() > 0 ? float.PositiveInfinity : float.NegativeInfinity, value);
                }
    }

    /// <summary>Direct loops: y[n, o, i, j] = sum over the group's channels and taps of x * w (zero padding).</summary>
    internal static double[] DirectConv2d(Tensor x, Tensor w, int ph, int pw, int dh, int dw, int groups, int oh, int ow)
    {
        var xs = x.Shape; var ws = w.Shape; var xv = x.ToArray<double>(); var wv = w.ToArray<double>();
        int n = (int)xs[0], c = (int)xs[1], h = (int)xs[2], wd = (int)xs[3], co = (int)ws[0], cig = (int)ws[1], kh = (int)ws[2], kw = (int)ws[3];
        var y = new double[n * co * oh * ow];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < co; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = 0;
                        for (int ci = 0; ci < cig; ci++)
                            for (int a = 0; a < kh; a++)
                                for (int e = 0; e < kw; e++)
                                {
                                    int ih = i - ph + a * dh, iw = j - pw + e * dw;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wd)
                                        sum += xv[((b * c + o / (co / groups) * cig + ci) * h + ih) * wd + iw] * wv[((o * cig + ci) * kh + a) * kw + e];
                                }
                        y[((b * co + o) * oh + i) * ow + j] = sum;
                    }
        return y;
    }

    [Theory]
    [InlineData(3, 3, 1, 1, 1, 1, 1)]
    [InlineData(1, 5, 0, 2, 1, 1, 1)]
    [InlineData(3, 3, 2, 2, 2, 2, 2)]
    [InlineData(3, 5, 0, 2, 1, 1, 2)]
    [InlineData(2, 3, 3, 1, 1, 1, 1)]
    public void RowAlignedUnfoldingMatchesDirectLoopsAndGradCheck(int kh, int kw, int ph, int pw, int dh, int dw, int groups)
    {
        // unit stride and output rows as wide as the input's: the unfolding copies and adds whole shifted runs
        var x = Torch.Randn([2, 4, 5, 7], DType.Float64, requiresGrad: true);
        var w = Torch.Randn([6, 4 / groups, kh, kw], DType.Float64, requiresGrad: true);
        var y = Functional.Conv2d(x, w, null, null, new long[] { ph, pw }, [dh, dw], groups);
        int oh = 5 + 2 * ph - dh * (kh - 1), ow = 7 + 2 * pw - dw * (kw - 1);
        Assert.Equal(7, ow);
        Assert.Equal(new long[] { 2, 6, oh, ow }, y.Shape);
        var expected = DirectConv2d(x.Detach(), w.Detach(), ph, pw, dh, dw, groups, oh, ow);
        var actual = y.ToArray<double>();
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-10 * (1 + Math.Abs(expected[i])), $"at {i}: {expected[i]} vs {actual[i]}");
        Assert.True(Torch.GradCheck(t => Functional.Conv2d(t[0], t[1], null, null, new long[] { ph, pw }, [dh, dw], groups), [x, w]));
    }
}
