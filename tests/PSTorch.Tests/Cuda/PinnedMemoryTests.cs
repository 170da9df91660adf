using PSTorch.Data;

namespace PSTorch.Tests.Cuda;

/// <summary>Page-locked host memory: Tensor.PinMemory and DataLoader(pinMemory: true).</summary>
public sealed class PinnedMemoryTests
{
    [Fact]
    public void WithoutCudaPinningSaysWhyAndTheLoaderKeepsOrdinaryMemory()
    {
        if (CudaRuntime.IsAvailable) Assert.Skip("a CUDA device is present; the no-CUDA path is tested on machines without one.");
        var t = Torch.Ones([3]);
        Assert.False(t.IsPinned);
        var e = Assert.Throws<CudaUnavailableException>(() => t.PinMemory());
        Assert.StartsWith("CUDA unavailable: ", e.Message);
        // pin_memory=True without an accelerator changes nothing, as in PyTorch (which only warns)
        var data = new TensorDataset(Torch.Arange(8).View(8, 1), Torch.Arange(8));
        var batch = new DataLoader(data, batchSize: 4, pinMemory: true).First();
        Assert.False(((Tensor)batch.Inputs).IsPinned);
        Assert.Equal([0L, 1, 2, 3], ((Tensor)batch.Targets!).ToArray<long>());
    }

    [Fact]
    [Trait("Category", "Cuda")]
    public void PinnedCopiesKeepValuesAndGradientsAndReachTheDevice()
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.Randn([4, 5]).Transpose(0, 1).RequiresGrad_();
        var pinned = x.PinMemory();
        Assert.True(pinned.IsPinned);
        Assert.Same(pinned, pinned.PinMemory());
        Assert.Equal(Device.Cpu, pinned.Device);
        Assert.True(pinned.IsContiguous());
        Assert.Equal(x.Detach().Contiguous().ToArray<float>(), pinned.Detach().ToArray<float>());
        Assert.Equal("PinMemoryBackward0", pinned.GradFn!.Name);
        (pinned * 2).Sum().Backward();
        Assert.All(x.Grad!.ToArray<float>(), g => Assert.Equal(2f, g));
        Assert.Equal(x.Detach().Contiguous().ToArray<float>(), pinned.Detach().Cuda().Cpu().ToArray<float>());
        Assert.Throws<InvalidOperationException>(() => Torch.Ones([2]).Cuda().PinMemory());
    }

    [Fact]
    [Trait("Category", "Cuda")]
    public void ALoaderWithPinMemoryGivesPinnedBatchesOfTheSameValues()
    {
        DeviceBuffer.RequireDevice();
        var data = new TensorDataset(Torch.Arange(12).View(6, 2), Torch.Arange(6));
        foreach (int workers in new[] { 0, 2 })
        {
            var batches = new DataLoader(data, batchSize: 4, numWorkers: workers, pinMemory: true).ToList();
            Assert.All(batches, b => Assert.True(((Tensor)b.Inputs).IsPinned && ((Tensor)b.Targets!).IsPinned));
            Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 7], ((Tensor)batches[0].Inputs).ToArray<long>());
            Assert.Equal([4L, 5], ((Tensor)batches[1].Targets!).ToArray<long>());
        }
    }
}
