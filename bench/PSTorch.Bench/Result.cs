namespace PSTorch.Bench;

/// <summary>One measured case; the JSON shape (snake_case) is the peer's, so the two can be compared field by field.</summary>
public sealed class Result
{
    public string Name { get; set; } = "";
    public string Group { get; set; } = "";
    public Dictionary<string, object> Parameters { get; set; } = new();
    public int Threads { get; set; }
    public int Repeats { get; set; }
    /// <summary>Calls per timed repeat (short ops are looped so one repeat lasts about the target time).</summary>
    public int InnerIters { get; set; }
    public int WarmupCalls { get; set; }
    /// <summary>Per-call times in ms: median/min/max over the repeats.</summary>
    public double MedianMs { get; set; }
    public double MinMs { get; set; }
    public double MaxMs { get; set; }
    /// <summary>Work per second at the median time (best = at the min time, worst = at the max time).</summary>
    public double? Throughput { get; set; }
    public double? ThroughputBest { get; set; }
    public double? ThroughputWorst { get; set; }
    public string? ThroughputUnit { get; set; }
    public Dictionary<string, object>? Extra { get; set; }
    public string? Note { get; set; }
    /// <summary>CPU time other processes used while timing, in % of all cores (noise indicator).</summary>
    public double? ForeignCpuPct { get; set; }
    public double? StealPct { get; set; }
}
