using PSTorch.NN;

namespace PSTorch.Tests.Cuda;

/// <summary>Functional.Dropout on CUDA tensors (the fused pst_dropout kernels) against the CPU's fused op from the same seed.</summary>
[Trait("Category", "Cuda")]
public sealed class CudaDropoutTests
{
    [Theory]
    [InlineData(DType.Float32, 0.5)]
    [InlineData(DType.Float64, 0.3)]
    public void OutputAndGradientEqualTheCpuFromTheSameSeed(DType dtype, double p)
    {
        DeviceBuffer.RequireDevice();
        var gpu = Device.Parse("cuda:0");
        var data = Torch.Randn([33, 17], dtype, generator: new Generator(60));
        var gy = Torch.Randn([33, 17], dtype, generator: new Generator(61));
        var cpuX = data.Clone().RequiresGrad_();
        var cpuY = Functional.Dropout(cpuX.T(), p, generator: new Generator(62));
        cpuY.Backward(gy.T());
        var gpuX = data.To(gpu).RequiresGrad_();
        var gpuY = Functional.Dropout(gpuX.T(), p, generator: new Generator(62));
        Assert.Equal("NativeDropoutBackward0", gpuY.GradFn!.Name);
        gpuY.Backward(gy.T().To(gpu));
        Assert.Equal(cpuY.Detach().Contiguous().To(DType.Float64).ToArray<double>(), gpuY.Detach().Cpu().Contiguous().To(DType.Float64).ToArray<double>());
        Assert.Equal(cpuX.Grad!.To(DType.Float64).ToArray<double>(), gpuX.Grad!.Cpu().To(DType.Float64).ToArray<double>());
    }
}
