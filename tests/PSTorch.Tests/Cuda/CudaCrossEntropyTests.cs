using PSTorch.NN;

namespace PSTorch.Tests.Cuda;

/// <summary>Functional.CrossEntropy on a GPU (the fused pst_cross_entropy kernels) against the CPU's fused op, forward and backward.</summary>
[Trait("Category", "Cuda")]
public sealed class CudaCrossEntropyTests
{
    static readonly Device Gpu = Device.Parse("cuda:0");

    [Theory]
    [InlineData(DType.Float32, "mean", false, 0.0)]
    [InlineData(DType.Float32, "none", true, 0.2)]
    [InlineData(DType.Float64, "sum", true, 0.1)]
    [InlineData(DType.Float64, "mean", true, 0.0)]
    public void ForwardAndBackwardMatchTheCpu(DType dtype, string reduction, bool weighted, double smoothing)
    {
        DeviceBuffer.RequireDevice();
        var logits = Torch.Randn([37, 45], dtype, generator: new Generator(30)) * 3;
        var target = Torch.Randint(0, 45, [37], generator: new Generator(31));
        target.Index(0).Fill_(-100);
        var weight = weighted ? Torch.Rand([45], dtype, generator: new Generator(32)) + 0.5 : null;
        var gy = reduction == "none" ? Torch.Randn([37], dtype, generator: new Generator(33)) : Torch.Full([], 0.7, dtype);

        var cpuX = logits.Detach().RequiresGrad_();
        var cpuLoss = Functional.CrossEntropy(cpuX, target, weight, -100, reduction, smoothing);
        cpuLoss.Backward(gy);
        var gpuX = logits.To(Gpu).Detach().RequiresGrad_();
        var gpuLoss = Functional.CrossEntropy(gpuX, target.To(Gpu), weight?.To(Gpu), -100, reduction, smoothing);
        gpuLoss.Backward(gy.To(Gpu));

        double tolerance = dtype == DType.Float64 ? 1e-10 : 1e-5;
        Assert.Equal(cpuLoss.GradFn!.Name, gpuLoss.GradFn!.Name);
        Assert.True(gpuLoss.Cpu().AllClose(cpuLoss.Detach(), tolerance, tolerance), $"loss {gpuLoss.Cpu()} vs {cpuLoss}");
        Assert.True(gpuX.Grad!.Cpu().AllClose(cpuX.Grad!, tolerance, tolerance), "gradient differs from the CPU's");
    }

    [Fact]
    public void InvalidTarget_RaisesAtTheNextSynchronisationWithoutAWaitInTheLoss()
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.Zeros([3, 4], device: Gpu);
        var loss = Functional.CrossEntropy(x, Torch.FromArray(new long[] { 0, 7, 1 }).To(Gpu));   // queued, not waited for
        var e = Assert.Throws<IndexOutOfRangeException>(() => loss.Item<float>());
        Assert.Equal("Target is out of bounds: a cross_entropy target on cuda:0 was outside [0, 4) (CUDA reports it at the next synchronisation, like a device-side assert).", e.Message);
        // reported once, and the context stays usable
        Assert.Equal(3, Torch.Ones([3], device: Gpu).Sum().Item<float>());
        using var valid = Functional.CrossEntropy(x, Torch.FromArray(new long[] { 0, 3, 1 }).To(Gpu));
        Torch.Cuda.Synchronize();
        Assert.Equal(Math.Log(4), valid.Item<float>(), 1e-6);
    }
}
