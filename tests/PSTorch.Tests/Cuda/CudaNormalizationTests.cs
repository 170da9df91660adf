using PSTorch.NN;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// Functional.BatchNorm and LayerNorm on CUDA tensors (the fused pst_batch_norm_*/pst_layer_norm_* kernels through
/// IBackend) against the same calls on the CPU: outputs, running statistics and every gradient, on contiguous and
/// non-contiguous inputs, and the half types against float32 on the CPU.
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaNormalizationTests
{
    static readonly Device Gpu = Device.Parse("cuda:0");

    static void Close(Tensor expected, Tensor actual, double tolerance, string what) =>
        Assert.True(actual.Cpu().To(DType.Float64).AllClose(expected.Detach().To(DType.Float64), tolerance, tolerance), $"{what} differs from the CPU's");

    [Theory]
    [InlineData(DType.Float32, false, true)]
    [InlineData(DType.Float64, true, true)]
    [InlineData(DType.Float32, true, false)]
    public void BatchNormMatchesTheCpu(DType dtype, bool transposed, bool training)
    {
        DeviceBuffer.RequireDevice();
        var data = Torch.Randn([6, 5, 7, 9], dtype, generator: new Generator(40)) * 2 + 3;
        var weight = Torch.Rand([5], dtype, generator: new Generator(41)) + 0.5;
        var bias = Torch.Randn([5], dtype, generator: new Generator(42));
        var gy = Torch.Randn([6, 5, 7, 9], dtype, generator: new Generator(43));
        var results = new List<(Tensor Y, Tensor GradX, Tensor GradW, Tensor GradB, Tensor Mean, Tensor Var)>();
        foreach (var device in new[] { Device.Cpu, Gpu })
        {
            var leaf = (transposed ? data.Transpose(0, 1).Contiguous() : data).To(device).RequiresGrad_();
            var x = transposed ? leaf.Transpose(0, 1) : leaf;
            var w = weight.To(device).RequiresGrad_();
            var b = bias.To(device).RequiresGrad_();
            var runningMean = Torch.Full([5], 0.5, dtype, device);
            var runningVar = Torch.Full([5], 2.0, dtype, device);
            var y = Functional.BatchNorm(x, runningMean, runningVar, w, b, training, momentum: 0.1, eps: 1e-5);
            Assert.Equal("NativeBatchNormBackward0", y.GradFn!.Name);
            y.Backward(gy.To(device));
            results.Add((y, leaf.Grad!, w.Grad!, b.Grad!, runningMean, runningVar));
        }
        double tolerance = dtype == DType.Float64 ? 1e-10 : 1e-4;
        var (cpu, gpu) = (results[0], results[1]);
        Close(cpu.Y, gpu.Y, tolerance, "output");
        Close(cpu.GradX, gpu.GradX, tolerance, "input gradient");
        Close(cpu.GradW, gpu.GradW, tolerance, "weight gradient");
        Close(cpu.GradB, gpu.GradB, tolerance, "bias gradient");
        Close(cpu.Mean, gpu.Mean, tolerance, "running mean");
        Close(cpu.Var, gpu.Var, tolerance, "running var");
    }

    [Theory]
    [InlineData(DType.Float32, false)]
    [InlineData(DType.Float64, true)]
    public void LayerNormMatchesTheCpu(DType dtype, bool transposed)
    {
        DeviceBuffer.RequireDevice();
        var data = Torch.Randn([12, 10, 96], dtype, generator: new Generator(44)) + 10;
        var weight = Torch.Randn([96], dtype, generator: new Generator(45));
        var bias = Torch.Randn([96], dtype, generator: new Generator(46));
        var gy = Torch.Randn([12, 10, 96], dtype, generator: new Generator(47));
        var results = new List<(Tensor Y, Tensor GradX, Tensor GradW, Tensor GradB)>();
        foreach (var device in new[] { Device.Cpu, Gpu })
        {
            var leaf = (transposed ? data.Transpose(0, 1).Contiguous() : data).To(device).RequiresGrad_();
            var x = transposed ? leaf.Transpose(0, 1) : leaf;
            var w = weight.To(device).RequiresGrad_();
            var b = bias.To(device).RequiresGrad_();
            var y = Functional.LayerNorm(x, [96], w, b);
            Assert.Equal("NativeLayerNormBackward0", y.GradFn!.Name);
            y.Backward(gy.To(device));
            results.Add((y, leaf.Grad!, w.Grad!, b.Grad!));
        }
        double tolerance = dtype == DType.Float64 ? 1e-10 : 1e-4;
        Close(results[0].Y, results[1].Y, tolerance, "output");
        Close(results[0].GradX, results[1].GradX, tolerance, "input gradient");
        Close(results[0].GradW, results[1].GradW, tolerance, "weight gradient");
        Close(results[0].GradB, results[1].GradB, tolerance, "bias gradient");
    }

    [Theory]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void HalfTypesNormaliseInFloatAndKeepTheirDType(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var data = Torch.Randn([8, 4, 6, 6], generator: new Generator(48)) * 2 + 1;
        double tolerance = dtype == DType.Float16 ? 1e-2 : 5e-2;

        // batch norm: half input with float32 per-channel tensors, as in PyTorch's mixed batch norm
        var runningMean = Torch.Zeros([4], device: Gpu);
        var runningVar = Torch.Ones([4], device: Gpu);
        var x = data.To(dtype).To(Gpu).RequiresGrad_();
        var y = Functional.BatchNorm(x, runningMean, runningVar, training: true);
        Assert.Equal(dtype, y.DType);
        y.Sum().Backward();
        Assert.Equal(dtype, x.Grad!.DType);
        var reference = Functional.BatchNorm(data.To(dtype).To(DType.Float32), null, null, training: true);
        Close(reference, y, tolerance, "half batch norm output");

        // layer norm: weight and bias in the input's dtype
        var rows = data.View(32, 36);
        var lx = rows.To(dtype).To(Gpu).RequiresGrad_();
        var lw = Torch.Ones([36], dtype, Gpu).RequiresGrad_();
        var ly = Functional.LayerNorm(lx, [36], lw);
        Assert.Equal(dtype, ly.DType);
        ly.Sum().Backward();
        Assert.Equal(dtype, lw.Grad!.DType);
        Close(Functional.LayerNorm(rows.To(dtype).To(DType.Float32), [36]), ly, tolerance, "half layer norm output");
    }
}
