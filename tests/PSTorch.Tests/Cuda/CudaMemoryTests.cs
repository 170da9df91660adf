namespace PSTorch.Tests.Cuda;

/// <summary>
/// Device memory statistics (torch.cuda.memory_allocated and friends) following tensors. Alone in its collection:
/// no other test may allocate device memory while the counts are compared.
/// </summary>
[Trait("Category", "Cuda")]
[Collection("CudaMemory")]
public sealed class CudaMemoryTests
{
    [Fact]
    public void MemoryStatisticsFollowTensors()
    {
        DeviceBuffer.RequireDevice();
        // tensors of earlier tests freed by their finalizers must not change the count while it is measured
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Torch.Cuda.Synchronize();
        long before = Torch.Cuda.MemoryAllocated();
        var x = Torch.Empty([1 << 20], DType.Float32, Device.Parse("cuda:0"));
        Assert.Equal(before + (4L << 20), Torch.Cuda.MemoryAllocated());
        Assert.True(Torch.Cuda.MaxMemoryAllocated() >= before + (4L << 20));
        Assert.True(Torch.Cuda.MemoryReserved() >= Torch.Cuda.MemoryAllocated());
        x.Dispose();
        Assert.Equal(before, Torch.Cuda.MemoryAllocated());
        Torch.Cuda.EmptyCache();
        Assert.True(Torch.Cuda.MemoryReserved() >= Torch.Cuda.MemoryAllocated());
        Torch.Cuda.ResetPeakMemoryStats();
        Assert.Equal(Torch.Cuda.MemoryAllocated(), Torch.Cuda.MaxMemoryAllocated());
    }

    [Fact]
    public void AnImpossibleAllocationSaysHowMuchMemoryThereIs()
    {
        DeviceBuffer.RequireDevice();
        var e = Assert.Throws<CudaOutOfMemoryException>(() => Torch.Empty([1L << 50], DType.Float32, Device.Parse("cuda:0")));
        Assert.StartsWith("CUDA out of memory. ", e.Message);
        Assert.Contains("Tried to allocate 4294967296.00 MiB", e.Message);
        Assert.Contains("free of", e.Message);
    }
}

[CollectionDefinition("CudaMemory", DisableParallelization = true)]
public sealed class CudaMemoryCollection;
