using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>
/// Device memory for <see cref="Storage"/> from the stream-ordered pool of libpstorch_cuda (pst_malloc_async /
/// pst_free_async on the legacy default stream), and copies between the host and devices.
/// </summary>
internal static unsafe class CudaMemory
{
    /// <summary>
    /// A block of <paramref name="bytes"/> on the device, allocated in the order of <paramref name="stream"/> (null: the
    /// legacy default stream). The library already retries once after releasing its cached blocks; before giving up,
    /// unreachable tensors are collected so their finalizers return memory too.
    /// </summary>
    public static void* Allocate(Device device, long bytes, void* stream = null)
    {
        CudaBackend.EnsureUsable(device);
        CudaBackend.MakeCurrent(device);
        void* p;
        var status = PstorchCuda.MallocAsync(&p, (ulong)bytes, stream);
        if (status == PstStatus.ErrorOutOfMemory)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            CudaBackend.MakeCurrent(device);
            status = PstorchCuda.MallocAsync(&p, (ulong)bytes, stream);
        }
        CudaBackend.Check(status);
        return p;
    }

    /// <summary>Returns a block after the work queued before it on the legacy stream; never throws (it runs in finalizers too): a failure leaks the block.</summary>
    public static void Free(Device device, void* pointer, long bytes)
    {
        if (CudaBackend.TryMakeCurrent(device)) PstorchCuda.FreeAsync(pointer, (ulong)bytes, CudaBackend.Stream);
    }

    /// <summary>
    /// Page-locked host memory (cudaHostAlloc, portable to every device): the driver copies from it by DMA without
    /// staging, and asynchronously. Needs a usable CUDA device, as torch.Tensor.pin_memory does.
    /// </summary>
    public static void* AllocatePinned(long bytes)
    {
        CudaBackend.EnsureUsable(new Device(DeviceType.Cuda, Torch.Cuda.CurrentDevice()));
        void* p;
        CudaBackend.Check(PstorchCuda.HostAllocPinned(&p, (ulong)bytes));
        return p;
    }

    /// <summary>Releases pinned host memory; never throws (it runs in finalizers too): a failure leaks the block.</summary>
    public static void FreePinned(void* pointer) => PstorchCuda.HostFreePinned(pointer);

    /// <summary>
    /// dst = src for two contiguous tensors of one dtype and size on different devices (host and device, or two
    /// devices); returns when the copy is complete, so the host may read dst or free src.
    /// </summary>
    public static void CopyBetweenDevices(Tensor dst, Tensor src)
    {
        long bytes = src.Numel() * src.DType.ElementSize();
        if (bytes == 0) return;
        if (src.IsCuda && dst.IsCuda)
        {
            // each device has its own legacy stream: the source's pending kernels finish before the peer copy reads it
            CudaBackend.MakeCurrent(src.Device);
            CudaBackend.Check(PstorchCuda.StreamSynchronize(CudaBackend.Stream));
        }
        CudaBackend.MakeCurrent(dst.IsCuda ? dst.Device : src.Device);
        var kind = (src.IsCuda, dst.IsCuda) switch
        {
            (false, true) => PstMemcpyKind.HostToDevice,
            (true, false) => PstMemcpyKind.DeviceToHost,
            _ => PstMemcpyKind.Default,
        };
        CudaBackend.Check(PstorchCuda.MemcpyAsync(dst.DataPointer, src.DataPointer, (ulong)bytes, kind, CudaBackend.Stream));
        CudaBackend.Check(PstorchCuda.StreamSynchronize(CudaBackend.Stream));
        if (!dst.IsCuda) DeferredDeviceChecks.Verify(src.Device);   // the host waited for the device: the checks' answers are there
    }
}
