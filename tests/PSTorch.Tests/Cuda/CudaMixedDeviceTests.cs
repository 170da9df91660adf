using PSTorch.NN;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// Operands and gradients that arrive on another device than the op's: PyTorch's errors, or the 0-d moves it allows,
/// where a backend chosen from one operand would otherwise be handed the other device's memory (the CPU kernels
/// dereference device pointers) or a CUDA kernel would refuse a CPU operand PyTorch accepts. Skipped without a device.
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaMixedDeviceTests
{
    [Fact]
    public void Conv2dWithTheWeightOnAnotherDeviceRaisesPyTorchsTypeError()
    {
        DeviceBuffer.RequireDevice();
        var input = Torch.Randn([1, 2, 5, 5], generator: new Generator(1));
        var weight = Torch.Randn([3, 2, 3, 3], generator: new Generator(2));
        var bias = Torch.Randn([3], generator: new Generator(3));
        var e = Assert.Throws<InvalidOperationException>(() => Functional.Conv2d(input, weight.Cuda()));
        Assert.Contains("weight type (torch.cuda.FloatTensor)", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => Functional.Conv2d(input.Cuda(), weight));
        Assert.Contains("Input type (torch.cuda.FloatTensor)", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => Functional.Conv2d(input, weight, bias.Cuda()));
        Assert.Contains("bias type (torch.cuda.FloatTensor)", e.Message);
        // all on the device still works
        CudaTensorTests.Close(Functional.Conv2d(input, weight, bias), Functional.Conv2d(input.Cuda(), weight.Cuda(), bias.Cuda()), 1e-5, 1e-5);
    }

    [Fact]
    public void BackwardMovesAZeroDimGradientToTheOutputsDevice()
    {
        DeviceBuffer.RequireDevice();
        var logits = Torch.Randn([4, 5], DType.Float64, generator: new Generator(4));
        var target = Torch.NewTensor(new long[] { 0, 3, 1, 4 });
        var cpu = logits.Clone().RequiresGrad_();
        Functional.NllLoss(cpu.LogSoftmax(1), target).Backward(Torch.Scalar(2.0, DType.Float64));
        var gpu = logits.Cuda().RequiresGrad_();
        // a CPU 0-d gradient for a CUDA loss (PyTorch moves it): it reached the CPU nll_loss backward with device targets
        Functional.NllLoss(gpu.LogSoftmax(1), target.Cuda()).Backward(Torch.Scalar(2.0, DType.Float64));
        CudaTensorTests.Close(cpu.Grad!, gpu.Grad!, 1e-12, 1e-12);

        var y = logits.Cuda().RequiresGrad_() * 3;
        var e = Assert.Throws<ArgumentException>(() => y.Backward(Torch.OnesLike(logits)));
        Assert.Contains("invalid gradient at index 0 - expected device cuda", e.Message);
    }

    [Fact]
    public void IndexPutWithTensorIndicesHasAGradientOnCuda()
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.Randn([5, 3], DType.Float64, generator: new Generator(5));
        var v = Torch.Randn([2, 3], DType.Float64, generator: new Generator(6));
        var index = Torch.NewTensor(new long[] { 4, 1 });
        var upstream = Torch.Randn([5, 3], DType.Float64, generator: new Generator(7));
        (Tensor, Tensor) Grads(Device device)
        {
            var leaf = x.To(device).RequiresGrad_();
            var values = v.To(device).RequiresGrad_();
            var y = leaf * 2;
            // the backward writes a 0-d zero into the gradient through the same tensor indices
            y[index.To(device)] = values;
            (y * upstream.To(device)).Sum().Backward();
            return (leaf.Grad!, values.Grad!);
        }
        var (cx, cv) = Grads(Device.Cpu);
        var (gx, gv) = Grads(Device.Parse("cuda:0"));
        CudaTensorTests.Close(cx, gx, 1e-12, 1e-12);
        CudaTensorTests.Close(cv, gv, 1e-12, 1e-12);
    }
}
