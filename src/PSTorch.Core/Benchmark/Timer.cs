using System.Diagnostics;
using System.Globalization;

namespace PSTorch.Benchmark;

/// <summary>
/// torch.utils.benchmark.Timer: runs an action after a warm-up, in blocks of calls long enough to time
/// reliably, until a minimum total time and number of blocks are reached, and summarises per-call times.
/// </summary>
public sealed class Timer(Action action, string label = "", string description = "", Device? device = null)
{
    public string Label { get; } = label;
    public string Description { get; } = description;
    public Device Device { get; } = device ?? Device.Cpu;

    /// <summary>Work per call, for GFLOP/s.</summary>
    public double? Flops { get; init; }

    /// <summary>Bytes moved per call, for GB/s.</summary>
    public double? Bytes { get; init; }

    /// <summary>Times the action until at least <paramref name="minRunTime"/> has been measured and at least <paramref name="minRuns"/> blocks ran.</summary>
    public Measurement BlockedAutorange(TimeSpan? minRunTime = null, int minRuns = 7, TimeSpan? warmup = null)
    {
        var minTime = minRunTime ?? TimeSpan.FromSeconds(0.2);
        var warm = warmup ?? TimeSpan.FromMilliseconds(50);
        // warm-up: at least 3 calls and the warm-up time, so the JIT has settled
        var sw = Stopwatch.StartNew();
        int calls = 0;
        while (calls < 3 || sw.Elapsed < warm) { action(); calls++; }
        double perCall = sw.Elapsed.TotalSeconds / calls;
        // blocks of ~10 ms so a timer tick is negligible
        int block = Math.Max(1, (int)Math.Min(1_000_000, 0.01 / Math.Max(perCall, 1e-9)));
        var times = new List<double>();
        var total = TimeSpan.Zero;
        while (times.Count < minRuns || total < minTime)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < block; i++) action();
            var elapsed = Stopwatch.GetElapsedTime(start);
            total += elapsed;
            times.Add(elapsed.TotalSeconds / block);
        }
        return new Measurement(times.ToArray(), block, Label, Description, Device, Torch.GetNumThreads(), Flops, Bytes);
    }

    /// <summary>Times exactly <paramref name="number"/> calls per block for <paramref name="repeats"/> blocks (timeit).</summary>
    public Measurement Timeit(int number = 1, int repeats = 1)
    {
        action();
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < number; i++) action();
            times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / number;
        }
        return new Measurement(times, number, Label, Description, Device, Torch.GetNumThreads(), Flops, Bytes);
    }
}

/// <summary>The result of a timing: per-call times in seconds and their statistics, displayed like PyTorch's Measurement.</summary>
public sealed class Measurement
{
    public Measurement(double[] times, int callsPerRun, string label, string description, Device device, int threads, double? flops, double? bytes)
    {
        if (times.Length == 0) throw new ArgumentException("a measurement needs at least one time");
        Times = times;
        CallsPerRun = callsPerRun;
        Label = label;
        Description = description;
        Device = device;
        Threads = threads;
        var sorted = times.OrderBy(t => t).ToArray();
        Median = Quantile(sorted, 0.5);
        IQR = Quantile(sorted, 0.75) - Quantile(sorted, 0.25);
        Mean = times.Average();
        Min = sorted[0];
        Max = sorted[^1];
        if (flops is { } f) GFlopsPerSecond = f / Median / 1e9;
        if (bytes is { } b) GBPerSecond = b / Median / 1e9;
    }

    /// <summary>Per-call time of each timed run, in seconds.</summary>
    public double[] Times { get; }
    public int Runs => Times.Length;
    public int CallsPerRun { get; }
    public double Median { get; }
    public double Mean { get; }
    public double IQR { get; }
    public double Min { get; }
    public double Max { get; }
    public int Threads { get; }
    public Device Device { get; }
    public string Label { get; }
    public string Description { get; }
    public double? GFlopsPerSecond { get; }
    public double? GBPerSecond { get; }

    /// <summary>Linear interpolation between order statistics (numpy's default).</summary>
    static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>A time with PyTorch's unit choice (ns, us, ms, s).</summary>
    public static string FormatTime(double seconds) => seconds switch
    {
        < 1e-6 => (seconds * 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " ns",
        < 1e-3 => (seconds * 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " us",
        < 1 => (seconds * 1e3).ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        _ => seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s",
    };

    public override string ToString()
    {
        var lines = new List<string> { $"<PSTorch.Benchmark.Measurement object>" };
        if (Label.Length > 0) lines.Add(Label);
        if (Description.Length > 0) lines.Add($"  {Description}");
        lines.Add($"  Median: {FormatTime(Median)}");
        lines.Add($"  IQR:    {FormatTime(IQR)} ({FormatTime(Quantile(Times.OrderBy(t => t).ToArray(), 0.25))} to {FormatTime(Quantile(Times.OrderBy(t => t).ToArray(), 0.75))})");
        lines.Add($"  {Runs} measurements, {CallsPerRun} runs per measurement, {Threads} thread{(Threads == 1 ? "" : "s")} on {Device}");
        if (GFlopsPerSecond is { } g) lines.Add($"  {g.ToString("0.0", CultureInfo.InvariantCulture)} GFLOP/s");
        if (GBPerSecond is { } gb) lines.Add($"  {gb.ToString("0.0", CultureInfo.InvariantCulture)} GB/s");
        return string.Join("\n", lines);
    }
}
