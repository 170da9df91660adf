using System.Collections.Concurrent;
using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>
/// Each device's copy stream: a non-blocking stream beside the legacy default stream that PSTorch's kernels run on.
/// Host-to-device copies queued on it run while the kernels queued before them compute, as PyTorch's data prefetchers
/// do with a side stream. The copies' destinations are allocated in the copy stream's order, so the memory pool never
/// hands them a block that kernels still use; a <see cref="CopyFence"/> makes the kernels wait for the copies on the
/// device, and the host only before the copies' sources are released.
/// </summary>
internal static unsafe class CudaCopyStream
{
    static readonly ConcurrentDictionary<int, IntPtr> Streams = new();

    static void* For(Device device)
    {
        CudaBackend.MakeCurrent(device);
        return (void*)Streams.GetOrAdd(CudaBackend.Ordinal(device), _ =>
        {
            void* stream;
            CudaBackend.Check(PstorchCuda.StreamCreate(&stream));
            return (IntPtr)stream;
        });
    }

    /// <summary>
    /// A copy of a contiguous CPU tensor on <paramref name="device"/>, queued on the device's copy stream and not waited
    /// for: the source must stay alive, and the copy must not be read, until <see cref="Fence"/>'s fence says so.
    /// From pinned memory the copy is asynchronous; from pageable memory the driver stages it before returning.
    /// </summary>
    public static Tensor Upload(Tensor source, Device device)
    {
        if (source.IsCuda || !source.IsContiguous()) throw new ArgumentException("an upload needs a contiguous CPU tensor", nameof(source));
        var stream = For(device);
        long bytes = source.Numel() * source.DType.ElementSize();
        var copy = Tensor.Empty(source.ShapeRef, source.DType, device, stream);
        if (bytes > 0)
            CudaBackend.Check(PstorchCuda.MemcpyAsync(copy.DataPointer, source.DataPointer, (ulong)bytes, PstMemcpyKind.HostToDevice, stream));
        return copy;
    }

    /// <summary>
    /// Waits on the host for every upload queued on the device's copy stream, without throwing: for error paths, which
    /// release the uploads' memory and must keep their own exception.
    /// </summary>
    public static void WaitForUploads(Device device)
    {
        if (Streams.TryGetValue(CudaBackend.Ordinal(device), out var stream) && CudaBackend.TryMakeCurrent(device))
            PstorchCuda.StreamSynchronize((void*)stream);
    }

    /// <summary>A fence after the uploads queued so far on the device's copy stream.</summary>
    public static CopyFence Fence(Device device)
    {
        var stream = For(device);
        void* done;
        CudaBackend.Check(PstorchCuda.EventCreate(&done));
        var status = PstorchCuda.EventRecord(done, stream);
        if (status != PstStatus.Success)
        {
            PstorchCuda.EventDestroy(done);
            throw CudaBackend.Failure(status);
        }
        return new CopyFence(device, done);
    }
}

/// <summary>The completion of the uploads queued on a device's copy stream up to a point (a CUDA event).</summary>
internal sealed unsafe class CopyFence(Device device, void* done) : IDisposable
{
    void* done = done;

    /// <summary>Makes the kernels queued from now on (the legacy stream) wait for the uploads, without the host waiting.</summary>
    public void OrderBeforeKernels()
    {
        CudaBackend.MakeCurrent(device);
        CudaBackend.Check(PstorchCuda.StreamWaitEvent(CudaBackend.Stream, done));
    }

    /// <summary>Waits on the host until the uploads are complete (their sources may be released then), and frees the event.</summary>
    public void Dispose()
    {
        if (done == null) return;
        var fence = done;
        done = null;
        CudaBackend.MakeCurrent(device);
        var status = PstorchCuda.EventSynchronize(fence);
        PstorchCuda.EventDestroy(fence);
        CudaBackend.Check(status);
    }
}
