using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

// Torch.SetNumThreads is process-wide: classes that change it run one at a time.
[Collection("NumThreads")]
public class ConvolutionTests
{
    /// <summary>Direct-loop conv2d (zero padding before, output size given) as the reference.</summary>
    static double[] NaiveConv2d(double[] x, long[] xs, double[] w, long[] ws, double[]? b, int sh, int sw, int ph, int pw, int dh, int dw, int groups, int oh, int ow)
    {
        int n = (int)xs[0], c = (int)xs[1], h = (int)xs[2], wd = (int)xs[3];
        int co = (int)ws[0], cig = (int)ws[1], kh = (int)ws[2], kw = (int)ws[3], cog = co / groups;
        var y = new double[n * co * oh * ow];
        for (int i = 0; i < n; i++)
            for (int o = 0; o < co; o++)
                for (int r = 0; r < oh; r++)
                    for (int q = 0; q < ow; q++)
                    {
                        double s = b?[o] ?? 0;
                        int grp = o / cog;
                        for (int ci = 0; ci < cig; ci++)
                            for (int a = 0; a < kh; a++)
                                for (int e = 0; e < kw; e++)
                                {
                                    int ih = r * sh - ph + a * dh, iw = q * sw - pw + e * dw;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    s += x[((i * c + grp * cig + ci) * h + ih) * wd + iw] * w[((o * cig + ci) * kh + a) * kw + e];
                                }
                        y[((i * co + o) * oh + r) * ow + q] = s;
                    }
        return y;
    }

    static void AssertClose(double[] expected, double[] actual, double tol = 1e-9)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])), $"at {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [InlineData(1, 1, 0, 0, 1, 1, 1)]
    [InlineData(2, 1, 1, 2, 1, 1, 1)]
    [InlineData(1, 2, 2, 1, 2, 1, 2)]
    [InlineData(3, 2, 1, 0, 1, 2, 4)]
    public void Conv2dMatchesDirectLoops(int sh, int sw, int ph, int pw, int dh, int dw, int groups)
    {
        var x = Torch.Randn([2, 4, 9, 8], DType.Float64);
        var w = Torch.Randn([8, 4 / groups, 3, 2], DType.Float64);
        var b = Torch.Randn([8], DType.Float64);
        var y = Functional.Conv2d(x, w, b, [sh, sw], new long[] { ph, pw }, [dh, dw], groups);
        int oh = (9 + 2 * ph - dh * 2 - 1) / sh + 1, ow = (8 + 2 * pw - dw - 1) / sw + 1;
        Assert.Equal(new long[] { 2, 8, oh, ow }, y.Shape);
        AssertClose(NaiveConv2d(x.ToArray<double>(), x.Shape, w.ToArray<double>(), w.Shape, b.ToArray<double>(), sh, sw, ph, pw, dh, dw, groups, oh, ow), y.ToArray<double>());
    }

    [Fact]
    public void Float32AgreesWithFloat64AndNonContiguousInputIsRead()
    {
        var x = Torch.Randn([3, 8, 10, 6], DType.Float64).Transpose(2, 3); // [3, 8, 6, 10], non-contiguous
        var w = Torch.Randn([5, 8, 3, 3], DType.Float64);
        var y64 = Functional.Conv2d(x, w, padding: 1);
        var y32 = Functional.Conv2d(x.To(DType.Float32), w.To(DType.Float32), padding: 1);
        Assert.True(y32.To(DType.Float64).AllClose(y64, 1e-4, 1e-4));
        AssertClose(NaiveConv2d(x.Contiguous().ToArray<double>(), x.Shape, w.ToArray<double>(), w.Shape, null, 1, 1, 1, 1, 1, 1, 1, 6, 10), y64.ToArray<double>());
    }

    [Fact]
    public void CompConv2dShapesFromTheSeedNotes()
    {
        var x = Torch.Rand([1, 1, 8, 8]);
        Assert.Equal(new long[] { 1, 1, 8, 8 }, new Conv2d(1, 1, 3, padding: 1).Call(x).Shape);
        Assert.Equal(new long[] { 1, 1, 8, 8 }, new Conv2d(1, 1, [5, 3], padding: new long[] { 2, 1 }).Call(x).Shape);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, new Conv2d(1, 1, [3, 5], [3, 4], new long[] { 0, 1 }).Call(x).Shape);
    }

    [Fact]
    public void SamePaddingKeepsSizeIncludingEvenKernels()
    {
        var x = Torch.Randn([2, 3, 7, 6], DType.Float64);
        var w = Torch.Randn([4, 3, 4, 3], DType.Float64);
        var y = Functional.Conv2d(x, w, padding: "same", dilation: [2, 1]);
        Assert.Equal(new long[] { 2, 4, 7, 6 }, y.Shape);
        // total padding 6 rows (3 before, 3 after) and 2 columns (1 + 1): equal to explicit padding
        Assert.True(y.AllClose(Functional.Conv2d(x, w, padding: new long[] { 3, 1 }, dilation: [2, 1])));
        var w2 = Torch.Randn([4, 3, 2, 2], DType.Float64);
        var same = Functional.Conv2d(x, w2, padding: "same");
        // even kernel: the extra zero goes after, so the result is the explicit-padding result without its first row/column
        var full = Functional.Conv2d(x, w2, padding: 1);
        Assert.True(same.AllClose(full.Narrow(2, 1, 7).Narrow(3, 1, 6)));
        Assert.Equal(new long[] { 2, 4, 4, 4 }, Functional.Conv2d(x, w, padding: "valid").Shape);
        Assert.Equal("padding='same' is not supported for strided convolutions",
            Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, w, stride: [2], padding: "same")).Message);
    }

    [Fact]
    public void Conv1dMatchesConv2dOfHeightOne()
    {
        var x = Torch.Randn([2, 4, 11], DType.Float64);
        var w = Torch.Randn([6, 2, 3], DType.Float64);
        var y = Functional.Conv1d(x, w, null, [2], 1, [2], 2);
        var y2 = Functional.Conv2d(x.Unsqueeze(2), w.Unsqueeze(2), null, [1, 2], new long[] { 0, 1 }, [1, 2], 2).Squeeze(2);
        Assert.Equal(new long[] { 2, 6, 5 }, y.Shape);
        Assert.True(y.AllClose(y2));
        Assert.Equal(new long[] { 6, 5 }, Functional.Conv1d(x[0], w, null, [2], 1, [2], 2).Shape);
    }

    [Fact]
    public void ConvTranspose2dIsTheAdjointOfConv2d()
    {
        // <conv(x), u> == <x, conv_transpose(u)> for the same weight and geometry
        var x = Torch.Randn([2, 4, 9, 8], DType.Float64);
        var w = Torch.Randn([6, 2, 3, 2], DType.Float64);
        var y = Functional.Conv2d(x, w, null, [2, 3], new long[] { 1, 0 }, [1, 2], 2);
        var u = Torch.RandnLike(y);
        var xt = Functional.ConvTranspose2d(u, w, null, [2, 3], [1, 0], [0, 2], 2, [1, 2]);
        Assert.Equal(x.Shape, xt.Shape);
        Assert.Equal((y * u).Sum().Item<double>(), (x * xt).Sum().Item<double>(), 1e-9);
    }

    [Fact]
    public void ConvTranspose2dShapesAndBias()
    {
        var layer = new ConvTranspose2d(3, 5, 3, stride: 2, padding: 1, outputPadding: 1);
        Assert.Equal(new long[] { 3, 5, 3, 3 }, layer.Weight.Shape);
        var x = Torch.Randn(2, 3, 4, 4);
        var y = layer.Call(x);
        Assert.Equal(new long[] { 2, 5, 8, 8 }, y.Shape);
        var noBias = Functional.ConvTranspose2d(x, layer.Weight, null, [2], [1], [1]);
        Assert.True(y.AllClose(noBias + layer.Bias!.View(5, 1, 1), 1e-5, 1e-6));
        Assert.Equal("ConvTranspose2d(3, 5, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))", layer.ToString());
    }

    [Theory]
    [InlineData(1, 1, 0, 1, 1)]
    [InlineData(2, 3, 1, 1, 1)]
    [InlineData(1, 2, 2, 2, 2)]
    [InlineData(2, 1, 1, 2, 3)]
    public void Conv2dGradCheck(int sh, int sw, int pad, int dil, int groups)
    {
        var x = Torch.Randn([2, 6, 7, 6], DType.Float64, requiresGrad: true);
        var w = Torch.Randn([6, 6 / groups, 3, 2], DType.Float64, requiresGrad: true);
        var b = Torch.Randn([6], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.Conv2d(t[0], t[1], t[2], [sh, sw], pad, [dil], groups), [x, w, b]));
        var y = Functional.Conv2d(x, w, b, [sh, sw], pad, [dil], groups);
        Assert.Equal("ConvolutionBackward0", y.GradFn!.Name);
    }

    [Fact]
    public void PointwiseAndSingleImageGradCheck()
    {
        var x = Torch.Randn([1, 4, 5, 5], DType.Float64, requiresGrad: true);
        var w = Torch.Randn([3, 4, 1, 1], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.Conv2d(t[0], t[1]), [x, w]));
    }

    [Fact]
    public void ConvTranspose2dAndConv1dGradCheck()
    {
        var x = Torch.Randn([2, 4, 4, 3], DType.Float64, requiresGrad: true);
        var w = Torch.Randn([4, 3, 3, 2], DType.Float64, requiresGrad: true);
        var b = Torch.Randn([6], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.ConvTranspose2d(t[0], t[1], t[2], [2, 1], [1, 0], [1, 0], 2, [1, 2]), [x, w, b]));
        var x1 = Torch.Randn([2, 3, 9], DType.Float64, requiresGrad: true);
        var w1 = Torch.Randn([2, 3, 4], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.Conv1d(t[0], t[1], null, [2], "valid", [2]), [x1, w1]));
        Assert.Equal("ConvolutionBackward0", Functional.Conv1d(x1, w1).GradFn!.Name);
    }

    [Fact]
    public void ReprsAndDefaultInitMatchPyTorch()
    {
        var conv = new Conv2d(1, 32, 3, padding: 1);
        Assert.Equal("Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", conv.ToString());
        Assert.Equal("Conv2d(4, 8, kernel_size=(3, 5), stride=(2, 1), dilation=(2, 2), groups=2, bias=False)",
            new Conv2d(4, 8, [3, 5], [2, 1], dilation: [2], groups: 2, bias: false).ToString());
        Assert.Equal("Conv1d(3, 6, kernel_size=(5,), stride=(1,), padding=same)", new Conv1d(3, 6, 5, padding: "same").ToString());
        Assert.Equal(new[] { "weight", "bias" }, conv.NamedParameters().Select(p => p.Name));
        // kaiming_uniform(a=sqrt(5)) gives bound 1/sqrt(fan_in); fan_in = 1*3*3
        double bound = 1 / 3.0;
        Assert.True(conv.Weight.Abs().Max().Item<float>() <= bound);
        Assert.True(conv.Bias!.Abs().Max().Item<float>() <= bound);
        Assert.True(conv.Weight.Abs().Max().Item<float>() > bound / 2);
    }

    [Fact]
    public void ErrorMessagesMatchPyTorch()
    {
        var conv = new Conv2d(1, 32, 3, padding: 1);
        var e = Assert.Throws<ArgumentException>(() => conv.Call(Torch.Randn(64, 3, 28, 28)));
        Assert.Equal("Given groups=1, weight of size [32, 1, 3, 3], expected input[64, 3, 28, 28] to have 1 channels, but got 3 channels instead", e.Message);
        Assert.Equal("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [28, 28]",
            Assert.Throws<ArgumentException>(() => conv.Call(Torch.Randn(28, 28))).Message);
        Assert.Equal("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size",
            Assert.Throws<ArgumentException>(() => new Conv2d(1, 1, 3).Call(Torch.Randn(1, 1, 2, 2))).Message);
        Assert.Equal("out_channels must be divisible by groups", Assert.Throws<ArgumentException>(() => new Conv2d(4, 6, 3, groups: 4)).Message);
        Assert.Contains("Input type (torch.DoubleTensor) and weight type (torch.FloatTensor) should be the same",
            Assert.Throws<InvalidOperationException>(() => conv.Call(Torch.Randn([1, 1, 5, 5], DType.Float64))).Message);
        Assert.Equal("Given transposed=1, weight of size [3, 5, 3, 3], expected input[2, 4, 4, 4] to have 3 channels, but got 4 channels instead",
            Assert.Throws<ArgumentException>(() => new ConvTranspose2d(3, 5, 3).Call(Torch.Randn(2, 4, 4, 4))).Message);
    }

    [Fact]
    public void LargeBatchUsesTheThreadedPathWithTheSameResult()
    {
        // 24 * 16 * 12 * 12 * (8 * 9) multiply-adds: enough for the batch to be spread over two workers
        int before = Torch.GetNumThreads();
        Torch.SetNumThreads(2);
        try
        {
            var x = Torch.Randn([24, 8, 12, 12], DType.Float64, requiresGrad: true);
            var w = Torch.Randn([16, 8, 3, 3], DType.Float64, requiresGrad: true);
            var y = Functional.Conv2d(x, w, padding: 1);
            y.Sum().Backward();
            // every image's output and input gradient match its own convolution; the weight gradient is their sum
            var sum = Torch.ZerosLike(w);
            for (int i = 0; i < 24; i++)
            {
                var xi = x.Detach()[i].RequiresGrad_();
                var wi = w.Detach().RequiresGrad_();
                var yi = Functional.Conv2d(xi, wi, padding: 1);
                Assert.True(y[i].AllClose(yi, 1e-12, 1e-12));
                yi.Sum().Backward();
                Assert.True(x.Grad![i].AllClose(xi.Grad!, 1e-12, 1e-12));
                sum = sum + wi.Grad!;
            }
            Assert.True(w.Grad!.AllClose(sum, 1e-9, 1e-9));
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }
}
