using PSTorch;
using PSTorch.Tests.Cuda;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>
/// torch.set_default_device and torch.cuda.set_device. Both are process-wide, so these tests run alone: a factory
/// call in a test running beside them would otherwise create its tensors on their device.
/// </summary>
[Collection("DefaultDevice")]
public sealed class DefaultDeviceTests
{
    [Fact]
    public void TheDefaultIsTheCpuAndAnUnusableCudaDeviceIsRefusedAndLeavesItSo()
    {
        Assert.Equal(Device.Cpu, Torch.GetDefaultDevice());
        Torch.SetDefaultDevice("cpu");
        Assert.Equal(Device.Cpu, Torch.Zeros([2]).Device);
        if (CudaRuntime.IsAvailable) Assert.Skip("a CUDA device is present; the refusal is tested on machines without one.");
        var e = Assert.Throws<CudaUnavailableException>(() => Torch.SetDefaultDevice("cuda"));
        Assert.StartsWith("CUDA unavailable: ", e.Message);
        Assert.Equal(Device.Cpu, Torch.GetDefaultDevice());
        Assert.Throws<CudaUnavailableException>(() => Torch.Cuda.SetDevice(0));
        Assert.Equal(0, Torch.Cuda.CurrentDevice());
    }

    [Fact]
    [Trait("Category", "Cuda")]
    public void FactoriesCreateOnTheDefaultDeviceAndTensorsKeepTheirs()
    {
        DeviceBuffer.RequireDevice();
        var cuda0 = Device.Parse("cuda:0");
        Torch.SetDefaultDevice("cuda");
        try
        {
            Assert.Equal(Device.Parse("cuda"), Torch.GetDefaultDevice());
            Assert.All(new[] { Torch.Zeros([2]), Torch.Ones([2]), Torch.Full([2], 3), Torch.Empty([2]), Torch.Rand([2]), Torch.Randn([2]),
                               Torch.Randint(0, 5, [2]), Torch.Arange(4), Torch.Linspace(0, 1, 3), Torch.Eye(2), Torch.NewTensor(new[] { 1.0, 2.0 }) },
                t => Assert.Equal(cuda0, t.Device));
            // an explicit device wins, and torch.tensor(t) keeps t's device
            Assert.Equal(Device.Cpu, Torch.Zeros([2], device: Device.Cpu).Device);
            var host = Torch.Zeros([2], device: Device.Cpu);
            Assert.Equal(Device.Cpu, Torch.NewTensor(host).Device);
            // the same numbers as on the CPU from the same seed
            Torch.ManualSeed(7);
            var onDevice = Torch.Randn([5]).Cpu().ToArray<float>();
            Torch.ManualSeed(7);
            Assert.Equal(Torch.Randn([5], device: Device.Cpu).ToArray<float>(), onDevice);
        }
        finally
        {
            Torch.SetDefaultDevice(Device.Cpu);
        }
        Assert.Equal(Device.Cpu, Torch.Zeros([2]).Device);
    }

    [Fact]
    [Trait("Category", "Cuda")]
    public void SetDeviceDecidesWhatCudaWithoutAnIndexMeans()
    {
        DeviceBuffer.RequireDevice();
        int last = Torch.Cuda.DeviceCount() - 1;
        Torch.Cuda.SetDevice(last);
        try
        {
            Assert.Equal(last, Torch.Cuda.CurrentDevice());
            Assert.Equal(new Device(DeviceType.Cuda, last), Torch.Ones([2]).To(Device.Parse("cuda")).Device);
            Assert.Equal(Torch.Cuda.GetDeviceName(last), Torch.Cuda.GetDeviceName());
        }
        finally
        {
            Torch.Cuda.SetDevice(0);
        }
        var e = Assert.Throws<CudaUnavailableException>(() => Torch.Cuda.SetDevice(last + 1));
        Assert.Contains("does not exist", e.Message);
    }
}

[CollectionDefinition("DefaultDevice", DisableParallelization = true)]
public sealed class DefaultDeviceCollection;
