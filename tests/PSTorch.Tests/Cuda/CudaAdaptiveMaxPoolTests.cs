using PSTorch.NN;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// adaptive_max_pool2d/1d on CUDA (pst_adaptive_max_pool2d and its backward) against the CPU op. The maxima are
/// exact copies of input elements, so values and indices must be equal; the half types are compared with the CPU
/// in float32 of the half inputs. Gradients: float64 and float32 equal (the device adds the overlapping windows'
/// gradients in the CPU's row-major order, in the input type), float16 and bfloat16 within one rounding of the
/// half type (the device sums in float and rounds once): 1e-3 and 8e-3 relative to the largest gradient.
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaAdaptiveMaxPoolTests
{
    static readonly Device Gpu = Device.Parse("cuda:0");

    public static TheoryData<DType, long[], long?[]> Cases()
    {
        var data = new TheoryData<DType, long[], long?[]>();
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Float16, DType.BFloat16 })
        {
            data.Add(dtype, [2, 3, 7, 9], [3, 4]);      // unequal, overlapping windows
            data.Add(dtype, [3, 5, 6], [11, 7]);        // unbatched, output larger than the input
            data.Add(dtype, [4, 2, 9, 10], [4, null]);  // None keeps the width
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheCudaOpMatchesTheCpuOp(DType dtype, long[] shape, long?[] outputSize)
    {
        DeviceBuffer.RequireDevice();
        var generator = new Generator(31);
        var x = Torch.Randn(shape, generator: generator).To(dtype);
        var gpuX = x.To(Gpu).RequiresGrad_();
        var (gpuValues, gpuIndices) = Functional.AdaptiveMaxPool2dWithIndices(gpuX, outputSize);
        Assert.Equal(dtype, gpuValues.DType);
        Assert.Equal("AdaptiveMaxPool2DBackward0", gpuValues.GradFn!.Name);
        var grad = Torch.Randn(gpuValues.Shape, generator: generator).To(dtype);
        gpuValues.Backward(grad.To(Gpu));

        bool half = dtype is DType.Float16 or DType.BFloat16;
        var cpuX = (half ? x.To(DType.Float32) : x.Clone()).RequiresGrad_();
        var (values, indices) = Functional.AdaptiveMaxPool2dWithIndices(cpuX, outputSize);
        values.Backward(half ? grad.To(DType.Float32) : grad);

        Assert.Equal(values.To(dtype).To(DType.Float64).ToArray<double>(), gpuValues.Cpu().To(DType.Float64).ToArray<double>());
        Assert.Equal(indices.ToArray<long>(), gpuIndices.Cpu().ToArray<long>());
        var expected = cpuX.Grad!.To(DType.Float64).ToArray<double>();
        var actual = gpuX.Grad!.Cpu().To(DType.Float64).ToArray<double>();
        double tolerance = dtype switch { DType.Float16 => 1e-3, DType.BFloat16 => 8e-3, _ => 0 } * Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"gradient element {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void NaNTiesAnd1dOnCuda()
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.FromArray(new float[] { float.NaN, 1, 7, 8, 3, float.NaN, float.NaN, 2 }, [1, 2, 4]);
        var (values, indices) = Functional.AdaptiveMaxPool2dWithIndices(x.To(Gpu), [1, 2]);
        Assert.All(values.Cpu().ToArray<float>(), v => Assert.True(float.IsNaN(v)));
        Assert.Equal(new long[] { 5, 6 }, indices.Cpu().ToArray<long>());
        Assert.Equal(new long[] { 0, 1, 3, 5, 6, 8, 15, 16, 18 }, Functional.AdaptiveMaxPool2dWithIndices(Torch.Ones([1, 5, 5], device: Gpu), [3]).Indices.Cpu().ToArray<long>());

        var line = Torch.Randn([2, 3, 17], DType.Float64, generator: new Generator(32));
        var (gpuValues, gpuIndices) = Functional.AdaptiveMaxPool1dWithIndices(line.To(Gpu), 5);
        var (cpuValues, cpuIndices) = Functional.AdaptiveMaxPool1dWithIndices(line, 5);
        Assert.Equal(cpuValues.ToArray<double>(), gpuValues.Cpu().ToArray<double>());
        Assert.Equal(cpuIndices.ToArray<long>(), gpuIndices.Cpu().ToArray<long>());
    }

    [Fact]
    public void EmptyOutputGivesAZeroGradientOnCuda()
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.Randn([1, 2, 4, 4], device: Gpu).RequiresGrad_();
        var y = Functional.AdaptiveMaxPool2d(x, [0, 3]);
        Assert.Equal([1L, 2, 0, 3], y.Shape);
        y.Sum().Backward();
        Assert.All(x.Grad!.Cpu().ToArray<float>(), g => Assert.Equal(0f, g));
        Assert.Equal([0L, 3, 2, 2], Functional.AdaptiveMaxPool2d(Torch.Empty([0, 3, 4, 4], device: Gpu), [2]).Shape);
    }
}
