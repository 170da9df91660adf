namespace PSTorch.Backends.Cuda;

/// <summary>
/// Checks that a kernel answers on the device (a flag it raises, e.g. nll_loss's out-of-range target), verified at the
/// next host synchronisation (a read back to the host, Torch.Cuda.Synchronize) instead of right after the launch: an
/// op whose inputs must be validated then costs no wait, so a training step never stops for its loss. The error
/// surfaces later, as a CUDA error does in PyTorch (whose kernels assert on the device and leave the context unusable;
/// here the kernels skip the bad elements and the context stays usable). With <see cref="MostPending"/> checks
/// unverified, the next one verifies them first.
/// </summary>
internal static class DeferredDeviceChecks
{
    const int MostPending = 256;
    static readonly object Gate = new();
    static List<(Tensor Flag, Func<Exception> Error)> pending = [];

    /// <summary>
    /// Takes over <paramref name="flag"/>, a 0-d int32 device tensor that is non-zero when <paramref name="error"/> must
    /// be thrown; it may be registered before the kernel that sets it is queued.
    /// </summary>
    public static void Defer(Tensor flag, Func<Exception> error)
    {
        bool full;
        lock (Gate) full = pending.Count >= MostPending;
        if (full) Verify();
        lock (Gate) pending.Add((flag, error));
    }

    /// <summary>Reads every pending flag (one copy back, which waits for the kernels that set them) and throws the first raised check's error.</summary>
    public static void Verify()
    {
        List<(Tensor Flag, Func<Exception> Error)> taken;
        lock (Gate)
        {
            if (pending.Count == 0) return;
            taken = pending;
            pending = [];
        }
        try
        {
            int[] raised;
            using (Torch.NoGrad())
            using (var flags = Torch.Stack(taken.Select(p => p.Flag).ToArray()))
                raised = flags.ToArray<int>();
            for (int i = 0; i < raised.Length; i++)
                if (raised[i] != 0) throw taken[i].Error();
        }
        finally
        {
            foreach (var (flag, _) in taken) flag.Dispose();
        }
    }
}
