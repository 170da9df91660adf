using PSTorch.Memory;

namespace PSTorch.Bench;

/// <summary>
/// What the timed calls allocated: managed bytes per call (all threads), garbage collections by generation, and
/// the change in tensor memory held by live storages. A steady-state training step should allocate almost nothing
/// and leave the live tensor memory where it was.
/// </summary>
public readonly struct MemoryMeter
{
    readonly long managedBytes, liveTensorBytes;
    readonly int gen0, gen1, gen2;

    MemoryMeter(long managedBytes, long liveTensorBytes, int gen0, int gen1, int gen2) =>
        (this.managedBytes, this.liveTensorBytes, this.gen0, this.gen1, this.gen2) = (managedBytes, liveTensorBytes, gen0, gen1, gen2);

    public static MemoryMeter Start() => new(GC.GetTotalAllocatedBytes(precise: true), CpuAllocator.AllocatedBytes,
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public Dictionary<string, object> Stop(long calls) => new()
    {
        ["managed_bytes_per_call"] = (GC.GetTotalAllocatedBytes(precise: true) - managedBytes) / Math.Max(calls, 1),
        ["gc_gen0"] = GC.CollectionCount(0) - gen0,
        ["gc_gen1"] = GC.CollectionCount(1) - gen1,
        ["gc_gen2"] = GC.CollectionCount(2) - gen2,
        ["calls"] = calls,
        ["live_tensor_bytes_change"] = CpuAllocator.AllocatedBytes - liveTensorBytes,
    };
}
