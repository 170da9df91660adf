using PSTorch.Backends.Cuda;

namespace PSTorch.Memory;

/// <summary>
/// A caching allocator for page-locked host memory (Tensor.PinMemory, DataLoader pin_memory), like PyTorch's
/// CachingHostAllocator: cudaHostAlloc is slow and cudaFreeHost waits for the whole device, so a loader that pins every
/// batch would stall each training step; freed blocks are kept by size class and handed out again instead.
/// A block is freed only when nothing reads it any more: every copy from pinned memory is either synchronous or
/// waited for (its event) before its source tensor is released.
/// </summary>
internal static unsafe class PinnedAllocator
{
    /// <summary>Above this many cached bytes, freed blocks go back to the driver instead.</summary>
    internal static long CacheLimitBytes { get; set; } = 1L << 30;

    static readonly BlockCache Cache = new(() => CacheLimitBytes, block => CudaMemory.FreePinned((void*)block));

    public static long CachedBytes => Cache.CachedBytes;

    /// <summary>A pinned block of at least <paramref name="bytes"/> bytes; <paramref name="capacity"/> is its real size.</summary>
    public static void* Allocate(long bytes, out long capacity)
    {
        capacity = CpuAllocator.SizeClass(bytes);
        return Cache.TryTake(capacity, out var block) ? (void*)block : CudaMemory.AllocatePinned(capacity);
    }

    /// <summary>Never throws (it runs in finalizers too).</summary>
    public static void Free(void* block, long capacity)
    {
        if (!Cache.TryKeep((IntPtr)block, capacity)) CudaMemory.FreePinned(block);
    }

    /// <summary>Gives every cached block back to the driver (part of torch.cuda.empty_cache here).</summary>
    public static void EmptyCache() => Cache.Clear();
}
