using System.Globalization;

namespace PSTorch.Benchmark;

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
        Flops = flops;
        Bytes = bytes;
        var sorted = times.Order().ToArray();
        Median = Quantile(sorted, 0.5);
        LowerQuartile = Quantile(sorted, 0.25);
        UpperQuartile = Quantile(sorted, 0.75);
        Mean = times.Average();
        Min = sorted[0];
        Max = sorted[^1];
        if (flops is { } f) GFlopsPerSecond = f / Median / 1e9;
        if (bytes is { } b) GBPerSecond = b / Median / 1e9;
    }

    /// <summary>Per-call time of each timed run, in seconds.</summary>
    public double[] Times { get; }

    /// <summary>The number of timed runs (blocks of calls); each contributes one entry of <see cref="Times"/>.</summary>
    public int Runs => Times.Length;

    public int CallsPerRun { get; }
    public double Median { get; }
    public double Mean { get; }

    /// <summary>UpperQuartile - LowerQuartile.</summary>
    public double IQR => UpperQuartile - LowerQuartile;

    public double LowerQuartile { get; }
    public double UpperQuartile { get; }
    public double Min { get; }
    public double Max { get; }
    public int Threads { get; }
    public Device Device { get; }
    public string Label { get; }
    public string Description { get; }

    /// <summary>Floating-point operations per call, when known.</summary>
    public double? Flops { get; }

    /// <summary>Bytes read and written per call, when known.</summary>
    public double? Bytes { get; }

    /// <summary>Flops / Median / 1e9.</summary>
    public double? GFlopsPerSecond { get; }

    /// <summary>Bytes / Median / 1e9.</summary>
    public double? GBPerSecond { get; }

    /// <summary>Linear interpolation between order statistics (numpy's default, as PyTorch uses).</summary>
    static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>PyTorch's unit for a time: ns, us, ms or s by its order of magnitude, and the unit's size in seconds.</summary>
    public static (string Unit, double Scale) SelectUnit(double seconds) => seconds switch
    {
        < 1e-6 => ("ns", 1e-9),
        < 1e-3 => ("us", 1e-6),
        < 1 => ("ms", 1e-3),
        _ => ("s", 1),
    };

    /// <summary>A time in PyTorch's unit for it, two decimals: "1.23 ms".</summary>
    public static string FormatTime(double seconds)
    {
        var (unit, scale) = SelectUnit(seconds);
        return Number(seconds / scale) + " " + unit;
    }

    static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// PyTorch's Measurement text: label, description, median, IQR with its quartiles (all in the median's unit),
    /// the measurement counts and threads, then GFLOP/s and GB/s when known.
    /// </summary>
    public override string ToString()
    {
        var (unit, scale) = SelectUnit(Median);
        var lines = new List<string>();
        if (Label.Length > 0) lines.Add(Label);
        if (Description.Length > 0) lines.Add($"  {Description}");
        lines.Add($"  Median: {Number(Median / scale)} {unit}");
        lines.Add($"  IQR:    {Number(IQR / scale)} {unit} ({Number(LowerQuartile / scale)} to {Number(UpperQuartile / scale)})");
        lines.Add($"  {Runs} measurement{(Runs == 1 ? "" : "s")}, {CallsPerRun} runs per measurement, {Threads} thread{(Threads == 1 ? "" : "s")}");
        var rates = new List<string>();
        if (GFlopsPerSecond is { } g) rates.Add($"{g.ToString("0.00", CultureInfo.InvariantCulture)} GFLOP/s");
        if (GBPerSecond is { } gb) rates.Add($"{gb.ToString("0.00", CultureInfo.InvariantCulture)} GB/s");
        if (rates.Count > 0) lines.Add("  " + string.Join(", ", rates));
        return string.Join(Environment.NewLine, lines);
    }
}
