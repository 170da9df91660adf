namespace PSTorch.Backends;

/// <summary>Device synchronisation and timing, for benchmarks.</summary>
internal partial interface IBackend
{
    /// <summary>Returns when all work queued on the device has finished.</summary>
    void Synchronize();

    /// <summary>
    /// Seconds that <paramref name="calls"/> calls of <paramref name="action"/> take on <paramref name="device"/>, the
    /// device work they queue included and work queued before them excluded.
    /// </summary>
    double Time(Device device, Action action, int calls);
}
