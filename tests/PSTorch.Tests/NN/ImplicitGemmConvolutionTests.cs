using PSTorch;
using PSTorch.Backends;
using PSTorch.Backends.Cpu;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>
/// The implicit-GEMM convolution kernels for deep patches (forward, input gradient as a flipped convolution, weight
/// gradient from the transposed output gradient, with the bias gradient in the same pass) against plain loops, including
/// channel counts that leave partial tiles, and the shallow patches whose weight gradient also runs here.
/// </summary>
[Collection("NumThreads")]
public class ImplicitGemmConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int, int, int, int>();
        // (in channels, kernel h, kernel w, padding h, padding w): patches of 36..81 taps, square and not, and of 9..27 taps
        var patches = new[] { (4, 3, 3, 1, 1), (9, 3, 3, 0, 0), (2, 5, 5, 2, 2), (12, 1, 3, 0, 1), (3, 3, 5, 1, 2), (4, 3, 3, 2, 0), (1, 3, 3, 1, 1), (3, 3, 3, 0, 2) };
        // output channels: a part of one 8-channel tile, 2.5 tiles, 64-wide gradient blocks with and without a 32-wide rest
        var outChannels = new[] { 5, 20, 40, 70 };
        int index = 0;
        foreach (var (channels, kh, kw, ph, pw) in patches)
            foreach (int width in new[] { 5, 14, 17 })
                data.Add(channels, kh, kw, ph, pw, width, outChannels[index++ % outChannels.Length]);
        return data;
    }

    static Conv2dGeometry Geometry(int batch, int channels, int height, int width, int outChannels, int kh, int kw, int ph, int pw) =>
        new(batch, channels, height, width, outChannels, height + 2 * ph - kh + 1, width + 2 * pw - kw + 1, kh, kw, 1, 1, ph, pw, 1, 1, 1);

    /// <summary>gx[n, c, i, j] = sum over outputs reading (i, j) of gy[n, o, i + ph - a, j + pw - b] * w[o, c, a, b].</summary>
    static double[] InputGradient(Tensor gy, Tensor w, Conv2dGeometry g)
    {
        var gv = gy.To(DType.Float64).ToArray<double>(); var wv = w.To(DType.Float64).ToArray<double>();
        var gx = new double[g.Batch * g.InChannels * g.InPlane];
        for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int c = 0; c < g.InChannels; c++)
                    for (int a = 0; a < g.KernelHeight; a++)
                        for (int b = 0; b < g.KernelWidth; b++)
                            for (int i = 0; i < g.OutHeight; i++)
                                for (int j = 0; j < g.OutWidth; j++)
                                {
                                    int ih = i - g.PaddingHeight + a, iw = j - g.PaddingWidth + b;
                                    if (ih >= 0 && ih < g.InHeight && iw >= 0 && iw < g.InWidth)
                                        gx[((n * g.InChannels + c) * g.InHeight + ih) * g.InWidth + iw] +=
                                            gv[((n * g.OutChannels + o) * g.OutHeight + i) * g.OutWidth + j] * wv[((o * g.InChannels + c) * g.KernelHeight + a) * g.KernelWidth + b];
                                }
        return gx;
    }

    /// <summary>gW[o, c, a, b] = sum over images and outputs of gy[n, o, i, j] * x[n, c, i - ph + a, j - pw + b] (zero outside).</summary>
    static double[] WeightGradient(Tensor x, Tensor gy, int kh, int kw, int ph, int pw)
    {
        var xv = x.To(DType.Float64).ToArray<double>(); var gv = gy.To(DType.Float64).ToArray<double>();
        int n = (int)x.Size(0), c = (int)x.Size(1), h = (int)x.Size(2), wd = (int)x.Size(3), co = (int)gy.Size(1), oh = (int)gy.Size(2), ow = (int)gy.Size(3);
        var gw = new double[co * c * kh * kw];
        for (int o = 0; o < co; o++)
            for (int ci = 0; ci < c; ci++)
                for (int a = 0; a < kh; a++)
                    for (int b = 0; b < kw; b++)
                    {
                        double sum = 0;
                        for (int m = 0; m < n; m++)
                            for (int i = 0; i < oh; i++)
                                for (int j = 0; j < ow; j++)
                                {
                                    int ih = i - ph + a, iw = j - pw + b;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wd)
                                        sum += gv[((m * co + o) * oh + i) * ow + j] * xv[((m * c + ci) * h + ih) * wd + iw];
                                }
                        gw[((o * c + ci) * kh + a) * kw + b] = sum;
                    }
        return gw;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBothGradientsMatchPlainLoops(int channels, int kh, int kw, int ph, int pw, int width, int outChannels)
    {
        var g = Geometry(3, channels, 6 + ph, width, outChannels, kh, kw, ph, pw);
        if (!ImplicitGemmConvolutionKernels<double>.SupportsWeightGradient(g))
        {
            Assert.False(System.Runtime.Intrinsics.X86.Avx512F.IsSupported);   // no AVX-512: the kernels are not used
            return;
        }
        var x64 = Torch.Randn([g.Batch, channels, g.InHeight, width], DType.Float64);
        var w64 = Torch.Randn([outChannels, channels, kh, kw], DType.Float64);
        var b64 = Torch.Randn([outChannels], DType.Float64);
        var gy64 = Torch.Randn([g.Batch, outChannels, g.OutHeight, g.OutWidth], DType.Float64);
        var expected = ConvolutionKernelPathTests.DirectConv2d(x64, w64, ph, pw, 1, 1, 1, g.OutHeight, g.OutWidth);
        var bias = b64.ToArray<double>();
        for (int i = 0; i < expected.Length; i++) expected[i] += bias[i / g.OutPlane % outChannels];
        var expectedInput = InputGradient(gy64, w64, g);
        var expectedWeight = WeightGradient(x64, gy64, kh, kw, ph, pw);
        var expectedBias = gy64.Sum([0, 2, 3]).ToArray<double>();

        foreach (var (dtype, tolerance) in new[] { (DType.Float64, 1e-12), (DType.Float32, 1e-4) })
        {
            var x = x64.To(dtype); var w = w64.To(dtype); var b = b64.To(dtype); var gy = gy64.To(dtype);
            var y = Torch.Full([g.Batch, outChannels, g.OutHeight, g.OutWidth], double.NaN, dtype);
            var gx = Torch.Full(x.Shape, double.NaN, dtype);
            var gw = Torch.Full(w.Shape, double.NaN, dtype);
            var gb = Torch.Full([outChannels], double.NaN, dtype);
            var gwAlone = Torch.Full(w.Shape, double.NaN, dtype);
            if (dtype == DType.Float64)
            {
                ImplicitGemmConvolutionKernels<double>.Forward(y, x, w, b, g);
                ImplicitGemmConvolutionKernels<double>.BackwardInput(gx, gy, w, g);
                ImplicitGemmConvolutionKernels<double>.BackwardWeight(gw, gb, gy, x, g);
                ImplicitGemmConvolutionKernels<double>.BackwardWeight(gwAlone, null, gy, x, g);
            }
            else
            {
                ImplicitGemmConvolutionKernels<float>.Forward(y, x, w, b, g);
                ImplicitGemmConvolutionKernels<float>.BackwardInput(gx, gy, w, g);
                ImplicitGemmConvolutionKernels<float>.BackwardWeight(gw, gb, gy, x, g);
                ImplicitGemmConvolutionKernels<float>.BackwardWeight(gwAlone, null, gy, x, g);
            }
            DirectConvolutionTests.AssertClose(expected, y, tolerance);
            DirectConvolutionTests.AssertClose(expectedInput, gx, tolerance);
            DirectConvolutionTests.AssertClose(expectedWeight, gw, tolerance * 10);
            DirectConvolutionTests.AssertClose(expectedBias, gb, tolerance);
            DirectConvolutionTests.AssertClose(expectedWeight, gwAlone, tolerance * 10);
        }
    }

    [Fact]
    public void TheHiddenLayerOfACnnTakesTheImplicitPath()
    {
        var g = new Conv2dGeometry(64, 32, 14, 14, 64, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        bool avx512 = System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
        Assert.Equal(avx512 && Torch.GetNumThreads() <= 64, ImplicitGemmConvolutionKernels<float>.Supports(g));
        // strided, dilated or grouped convolutions, shallow patches (the direct kernels' own), padding as wide as the
        // kernel and batches smaller than the thread count stay elsewhere
        Assert.False(ImplicitGemmConvolutionKernels<float>.Supports(g with { StrideWidth = 2, OutWidth = 7 }));
        Assert.False(ImplicitGemmConvolutionKernels<float>.Supports(g with { DilationHeight = 2, OutHeight = 12 }));
        Assert.False(ImplicitGemmConvolutionKernels<float>.Supports(g with { Groups = 2 }));
        Assert.False(ImplicitGemmConvolutionKernels<float>.Supports(g with { InChannels = 3 }));
        Assert.False(ImplicitGemmConvolutionKernels<float>.Supports(g with { PaddingHeight = 3, OutHeight = 18 }));
        Assert.Equal(avx512 && Torch.GetNumThreads() == 1, ImplicitGemmConvolutionKernels<float>.Supports(g with { Batch = 1 }));
        // the weight gradient takes every unit-stride, undilated, ungrouped layer, the first one and single images included
        Assert.Equal(avx512, ImplicitGemmConvolutionKernels<float>.SupportsWeightGradient(g with { InChannels = 1, Batch = 1 }));
        Assert.False(ImplicitGemmConvolutionKernels<float>.SupportsWeightGradient(g with { StrideWidth = 2, OutWidth = 7 }));
        Assert.False(ImplicitGemmConvolutionKernels<float>.SupportsWeightGradient(g with { Groups = 2 }));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    public void ConvolutionThroughTheImplicitPathGradCheck(int ph, int pw)
    {
        int before = Torch.GetNumThreads();
        Torch.SetNumThreads(2);
        try
        {
            // a non-contiguous input (transposed spatial dims) and a bias; 4 channels x 3x3 = 36 taps is past the direct kernels
            var x = Torch.Randn([2, 4, 7, 6], DType.Float64).Transpose(2, 3).RequiresGrad_();
            var w = Torch.Randn([5, 4, 3, 3], DType.Float64, requiresGrad: true);
            var b = Torch.Randn([5], DType.Float64, requiresGrad: true);
            var g = Geometry(2, 4, 6, 7, 5, 3, 3, ph, pw);
            if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
                Assert.True(ImplicitGemmConvolutionKernels<double>.Supports(g));
            Assert.True(Torch.GradCheck(t => Functional.Conv2d(t[0], t[1], t[2], null, new long[] { ph, pw }), [x, w, b]));
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }

    [Fact]
    public void PaddingWiderThanTheKernelGradCheck()
    {
        // the weight gradient takes any padding (the forward and input gradient then use the other kernels)
        var x = Torch.Randn([2, 4, 4, 5], DType.Float64, requiresGrad: true);
        var w = Torch.Randn([3, 4, 3, 3], DType.Float64, requiresGrad: true);
        var b = Torch.Randn([3], DType.Float64, requiresGrad: true);
        var g = Geometry(2, 4, 4, 5, 3, 3, 3, 4, 3);
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            Assert.True(ImplicitGemmConvolutionKernels<double>.SupportsWeightGradient(g));
            Assert.False(ImplicitGemmConvolutionKernels<double>.Supports(g));
        }
        Assert.True(Torch.GradCheck(t => Functional.Conv2d(t[0], t[1], t[2], null, new long[] { 4, 3 }), [x, w, b]));
    }

    [Fact]
    public void AnInfiniteWeightGivesNoNaNInTheInputGradient()
    {
        int before = Torch.GetNumThreads();
        Torch.SetNumThreads(2);
        try
        {
            // PyTorch adds w * gy only where an output reads the input; multiplying the padding's zeros by inf would give NaN
            var x = Torch.Randn([2, 4, 5, 5], requiresGrad: true);
            var w = Torch.Randn(5, 4, 3, 3);
            w[0, 0, 0, 0] = Torch.NewTensor(float.PositiveInfinity);
            var y = Functional.Conv2d(x, w, null, padding: 1);
            y.Backward(Torch.Ones(y.Shape));
            var gx = x.Grad!.ToArray<float>();
            Assert.DoesNotContain(gx, float.IsNaN);
            Assert.Contains(gx, float.IsPositiveInfinity);
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }
}
