using PSTorch.NN;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// Functional.Conv1d/Conv2d/ConvTranspose2d on CUDA tensors (im2col/col2im + cuBLAS through IBackend) against the same
/// calls on the CPU: outputs and the input, weight and bias gradients, with a bias (added by the CUDA backend's own
/// broadcast view over the output, which has 3 dims for conv1d and 4 for conv2d).
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaConvolutionTests
{
    static readonly Device Gpu = Device.Parse("cuda:0");

    static void Close(Tensor expected, Tensor actual, double tolerance, string what) =>
        Assert.True(actual.Cpu().To(DType.Float64).AllClose(expected.Detach().To(DType.Float64), tolerance, tolerance), $"{what} differs from the CPU's");

    static void MatchesCpu(Func<Tensor, Tensor, Tensor, Tensor> convolve, long[] inputShape, long[] weightShape, long biasSize, DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var data = Torch.Randn(inputShape, dtype, generator: new Generator(60));
        var weight = Torch.Randn(weightShape, dtype, generator: new Generator(61));
        var bias = Torch.Randn([biasSize], dtype, generator: new Generator(62));
        var results = new List<(Tensor Y, Tensor GradX, Tensor GradW, Tensor GradB)>();
        foreach (var device in new[] { Device.Cpu, Gpu })
        {
            var x = data.To(device).RequiresGrad_();
            var w = weight.To(device).RequiresGrad_();
            var b = bias.To(device).RequiresGrad_();
            var y = convolve(x, w, b);
            using var gy = Torch.Randn(y.Shape, dtype, generator: new Generator(63));
            y.Backward(gy.To(device));
            results.Add((y, x.Grad!, w.Grad!, b.Grad!));
        }
        double tolerance = dtype == DType.Float64 ? 1e-10 : 1e-4;
        var (cpu, gpu) = (results[0], results[1]);
        Close(cpu.Y, gpu.Y, tolerance, "output");
        Close(cpu.GradX, gpu.GradX, tolerance, "input gradient");
        Close(cpu.GradW, gpu.GradW, tolerance, "weight gradient");
        Close(cpu.GradB, gpu.GradB, tolerance, "bias gradient");
    }

    [Theory]
    [InlineData(DType.Float32, 1)]
    [InlineData(DType.Float64, 2)]
    public void Conv1dWithBiasMatchesTheCpu(DType dtype, long groups) =>
        MatchesCpu((x, w, b) => Functional.Conv1d(x, w, b, stride: [2], padding: 1L, dilation: [2], groups: groups), [3, 4, 17], [6, 4 / groups, 3], 6, dtype);

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Conv2dWithBiasMatchesTheCpu(DType dtype) =>
        MatchesCpu((x, w, b) => Functional.Conv2d(x, w, b, stride: [2, 1], padding: 1L, groups: 2), [2, 4, 9, 7], [6, 2, 3, 3], 6, dtype);

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ConvTranspose2dWithBiasMatchesTheCpu(DType dtype) =>
        MatchesCpu((x, w, b) => Functional.ConvTranspose2d(x, w, b, stride: [2, 2], padding: [1, 0], outputPadding: [1, 1], groups: 2), [2, 4, 5, 6], [4, 3, 3, 3], 6, dtype);
}
