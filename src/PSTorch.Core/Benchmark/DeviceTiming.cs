namespace PSTorch.Benchmark;

/// <summary>The same work timed on several devices (Measure-Op -Device cpu,cuda).</summary>
public static class DeviceTiming
{
    /// <summary>
    /// Creates a timer per device; a device that cannot run (its timer creation or backend throws
    /// NotSupportedException, e.g. "CUDA unavailable") is reported to <paramref name="onUnavailable"/> and skipped.
    /// One usable device gives its <see cref="Measurement"/>; two give a <see cref="Comparison"/> timed pair by pair
    /// (the second device's time over the first's); none gives null.
    /// </summary>
    public static object? Run(IReadOnlyList<Device> devices, Func<Device, Timer> createTimer, TimeSpan? minRunTime, int minRuns,
        Action<Device, NotSupportedException> onUnavailable)
    {
        if (devices.Count is 0 or > 2) throw new ArgumentException($"give one or two devices, got {devices.Count}");
        if (devices.Distinct().Count() != devices.Count) throw new ArgumentException($"the devices must differ, got {string.Join(", ", devices)}");
        var timers = new List<Timer>();
        foreach (var device in devices)
        {
            try
            {
                var timer = createTimer(device);
                timer.CheckDevice();
                timers.Add(timer);
            }
            catch (NotSupportedException unavailable)
            {
                onUnavailable(device, unavailable);
            }
        }
        return timers.Count switch
        {
            0 => null,
            1 => timers[0].BlockedAutorange(minRunTime, minRuns),
            _ => Timer.Compare(timers[0], timers[1], minRunTime, minRuns),
        };
    }
}
