namespace PSTorch.Backends.Cuda;

/// <summary>
/// Checks that a kernel answers on the device (a flag it raises, e.g. nll_loss's out-of-range target), verified at the
/// device's next host synchronisation (a read back to the host, Torch.Cuda.Synchronize) instead of right after the
/// launch: an op whose inputs must be validated then costs no wait, so a training step never stops for its loss. The
/// error surfaces later, as a CUDA error does in PyTorch (whose kernels assert on the device and leave the context
/// unusable; here the kernels skip the bad elements and the context stays usable). The flags are slots of one
/// int32 buffer per device, allocated once, so checks allocate nothing; when every slot is pending, the next check
/// verifies them first. PSTorch drives a device from one thread at a time: a check whose kernel another thread queues
/// while this one verifies may be read before the kernel ran (and so go unreported).
/// </summary>
internal static class DeferredDeviceChecks
{
    const int Slots = 256;
    static readonly object Gate = new();
    static readonly Dictionary<int, DeviceFlags> ByDevice = [];

    sealed class DeviceFlags(Tensor slots)
    {
        public Tensor Slots { get; } = slots;
        public List<(int Slot, Func<Exception> Error)> Pending { get; set; } = [];
    }

    /// <summary>
    /// A cleared flag for a kernel queued next on <paramref name="device"/>: a 0-d int32 view of a slot, to be disposed
    /// after the launch. When the kernel leaves it non-zero, <paramref name="error"/> is thrown at the next synchronisation.
    /// </summary>
    public static Tensor Claim(Device device, Func<Exception> error)
    {
        int ordinal = CudaBackend.Ordinal(device);
        DeviceFlags? flags;
        lock (Gate) ByDevice.TryGetValue(ordinal, out flags);
        if (flags is null)
        {
            var created = new DeviceFlags(Tensor.Empty([Slots], DType.Int32, new Device(DeviceType.Cuda, ordinal)));
            lock (Gate) flags = ByDevice.TryAdd(ordinal, created) ? created : ByDevice[ordinal];
            if (!ReferenceEquals(flags, created)) created.Slots.Dispose();
        }
        while (true)
        {
            lock (Gate)
            {
                // the slot is taken and cleared under the lock, so no Verify can read it between the two
                if (flags.Pending.Count < Slots)
                {
                    int slot = flags.Pending.Count;
                    flags.Pending.Add((slot, error));
                    var flag = flags.Slots.AsStridedView([], [], slot);
                    CudaBackend.For(device).Fill(flag, 0);
                    return flag;
                }
            }
            Verify(device);
        }
    }

    /// <summary>
    /// Reads the device's pending flags (one copy back, which waits for the kernels that set them) and throws the first
    /// raised check's error. Called once the host has waited for the device.
    /// </summary>
    public static void Verify(Device device)
    {
        DeviceFlags? flags;
        List<(int Slot, Func<Exception> Error)> taken;
        lock (Gate)
        {
            if (!ByDevice.TryGetValue(CudaBackend.Ordinal(device), out flags) || flags.Pending.Count == 0) return;
            taken = flags.Pending;
            flags.Pending = [];
        }
        var raised = flags.Slots.ToArray<int>();
        foreach (var (slot, error) in taken)
            if (raised[slot] != 0) throw error();
    }
}
