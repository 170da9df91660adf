using PSTorch;
using PSTorch.Backends;
using PSTorch.Backends.Cpu;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>The direct convolution forward for few-input-channel layers (padded input, one shifted product per tap) against plain loops.</summary>
public class DirectConvolutionTests
{
    public static TheoryData<int, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, int, bool>();
        foreach (int width in new[] { 5, 17, 28, 33 })
            foreach (int padding in new[] { 0, 1, 2 })
                foreach (var (channels, kernel) in new[] { (1, 3), (3, 3), (1, 5), (3, 5) })
                    data.Add(channels, kernel, padding, width, (width + padding + kernel) % 2 == 0);
        return data;
    }

    static Conv2dGeometry Geometry(Tensor x, Tensor w, int padding)
    {
        int batch = (int)x.Size(0), channels = (int)x.Size(1), h = (int)x.Size(2), wd = (int)x.Size(3), k = (int)w.Size(2);
        return new Conv2dGeometry(batch, channels, h, wd, (int)w.Size(0), h + 2 * padding - k + 1, wd + 2 * padding - k + 1, k, k, 1, 1, padding, padding, 1, 1, 1);
    }

    internal static void AssertClose(double[] expected, Tensor actual, double tolerance)
    {
        var values = actual.To(DType.Float64).ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(values[i] - expected[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"at {i}: expected {expected[i]}, got {values[i]}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesPlainLoops(int channels, int kernel, int padding, int width, bool withBias)
    {
        if (!DirectConvolutionKernels<double>.Supports(new Conv2dGeometry(1, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1)))
            return;   // no AVX-512: the kernels are not used
        int height = 6 + padding, outChannels = 5;
        var x64 = Torch.Randn([2, channels, height, width], DType.Float64);
        var w64 = Torch.Randn([outChannels, channels, kernel, kernel], DType.Float64);
        var b64 = withBias ? Torch.Randn([outChannels], DType.Float64) : null;
        var g = Geometry(x64, w64, padding);
        var expected = ConvolutionKernelPathTests.DirectConv2d(x64, w64, padding, padding, 1, 1, 1, g.OutHeight, g.OutWidth);
        if (b64 != null)
        {
            var bias = b64.ToArray<double>();
            int plane = g.OutHeight * g.OutWidth;
            for (int i = 0; i < expected.Length; i++) expected[i] += bias[i / plane % outChannels];
        }

        foreach (var (dtype, tolerance) in new[] { (DType.Float64, 1e-12), (DType.Float32, 1e-4) })
        {
            var x = x64.To(dtype); var w = w64.To(dtype); var b = b64?.To(dtype);
            var y = Torch.Full([2, outChannels, g.OutHeight, g.OutWidth], double.NaN, dtype);
            if (dtype == DType.Float64) DirectConvolutionKernels<double>.Forward(y, x, w, b, g);
            else DirectConvolutionKernels<float>.Forward(y, x, w, b, g);
            AssertClose(expected, y, tolerance);
        }
    }

    [Theory]
    [InlineData(1, 3, 1)]
    [InlineData(3, 3, 0)]
    [InlineData(1, 5, 2)]
    public void ConvolutionThroughTheDirectPathGradCheck(int channels, int kernel, int padding)
    {
        // a non-contiguous input (transposed spatial dims) and a bias; the patch is small enough for the direct kernels
        var x = Torch.Randn([2, channels, 7, 6], DType.Float64).Transpose(2, 3).RequiresGrad_();
        var w = Torch.Randn([4, channels, kernel, kernel], DType.Float64, requiresGrad: true);
        var b = Torch.Randn([4], DType.Float64, requiresGrad: true);
        Assert.False(x.IsContiguous());
        if (Avx512Available())
            Assert.True(DirectConvolutionKernels<double>.Supports(Geometry(x, w, padding)));
        var expected = ConvolutionKernelPathTests.DirectConv2d(x.Detach().Contiguous(), w.Detach(), padding, padding, 1, 1, 1, 6 + 2 * padding - kernel + 1, 7 + 2 * padding - kernel + 1);
        var y = Functional.Conv2d(x, w, b, padding: padding);
        AssertClose(expected, y - b.Detach().View(1, 4, 1, 1), 1e-12);
        Assert.True(Torch.GradCheck(t => Functional.Conv2d(t[0], t[1], t[2], padding: padding), [x, w, b]));
    }

    [Fact]
    public void TheFirstLayerOfACnnTakesTheDirectPath()
    {
        var g = new Conv2dGeometry(64, 1, 28, 28, 32, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        Assert.Equal(Avx512Available(), DirectConvolutionKernels<float>.Supports(g));
        // strided, dilated or grouped convolutions, and wide patches, stay on im2col + GEMM
        Assert.False(DirectConvolutionKernels<float>.Supports(g with { StrideWidth = 2, OutWidth = 14 }));
        Assert.False(DirectConvolutionKernels<float>.Supports(g with { DilationHeight = 2, OutHeight = 26 }));
        Assert.False(DirectConvolutionKernels<float>.Supports(g with { InChannels = 32 }));
        Assert.False(DirectConvolutionKernels<float>.Supports(g with { InChannels = 2, OutChannels = 32, Groups = 2 }));
    }

    static bool Avx512Available() => System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
}
