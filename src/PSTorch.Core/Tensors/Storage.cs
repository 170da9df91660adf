using PSTorch.Memory;

namespace PSTorch;

/// <summary>
/// A block of tensor memory shared by a tensor and its views. Freed when the last tensor using it is
/// disposed, or by the finalizer when all of them became unreachable.
/// </summary>
public sealed unsafe class Storage
{
    readonly long capacity;
    int references = 1;
    void* pointer;

    internal Storage(long byteLength, Device device)
    {
        if (device.Type != DeviceType.Cpu) CudaBackendMissing.Throw(device);
        ByteLength = byteLength;
        Device = device;
        pointer = CpuAllocator.Allocate(Math.Max(byteLength, 1), out capacity);
    }

    ~Storage() => FreeMemory();

    public long ByteLength { get; }
    public Device Device { get; }

    internal void* Pointer => pointer != null ? pointer : throw new ObjectDisposedException("Tensor", "The tensor's memory was released by Dispose().");

    internal bool IsReleased => pointer == null;

    /// <summary>True when a single tensor holds this memory (no view or other tensor shares it).</summary>
    internal bool IsExclusive => Volatile.Read(ref references) == 1;

    internal void AddReference() => Interlocked.Increment(ref references);

    /// <summary>Drops one tensor's claim; the memory goes back to the allocator when no claim is left.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            FreeMemory();
            GC.SuppressFinalize(this);
        }
    }

    void FreeMemory()
    {
        var p = pointer;
        pointer = null;
        if (p != null) CpuAllocator.Free(p, capacity);
    }
}
