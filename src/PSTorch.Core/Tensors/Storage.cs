using PSTorch.Backends.Cuda;
using PSTorch.Memory;

namespace PSTorch;

/// <summary>
/// A block of tensor memory shared by a tensor and its views: host memory, or device memory of a CUDA device.
/// Freed when the last tensor using it is disposed, or by the finalizer when all of them became unreachable.
/// </summary>
public sealed unsafe class Storage
{
    readonly long capacity;
    readonly bool pinned;
    int references = 1;
    void* pointer;

    /// <summary>Memory on <paramref name="device"/>; device memory is allocated in the order of <paramref name="stream"/> (null: the legacy default stream).</summary>
    internal Storage(long byteLength, Device device, void* stream)
    {
        ByteLength = byteLength;
        if (device.Type == DeviceType.Cpu)
        {
            Device = device;
            pointer = CpuAllocator.Allocate(Math.Max(byteLength, 1), out capacity);
            return;
        }
        Device = Tensor.Canonical(device);
        capacity = Math.Max(byteLength, 1);
        pointer = CudaMemory.Allocate(Device, capacity, stream);
    }

    /// <summary>Page-locked host memory (pin_memory): a CPU storage the GPU can copy from and to asynchronously.</summary>
    Storage(long byteLength)
    {
        ByteLength = byteLength;
        Device = Device.Cpu;
        pointer = PinnedAllocator.Allocate(Math.Max(byteLength, 1), out capacity);
        pinned = true;
    }

    internal static Storage Pinned(long byteLength) => new(byteLength);

    ~Storage() => FreeMemory();

    /// <summary>Whether this is page-locked host memory (Tensor.PinMemory).</summary>
    internal bool IsPinned => pinned;

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
        if (p == null) return;
        if (pinned) PinnedAllocator.Free(p, capacity);
        else if (Device.Type == DeviceType.Cpu) CpuAllocator.Free(p, capacity);
        else CudaMemory.Free(Device, p, capacity);
    }
}
