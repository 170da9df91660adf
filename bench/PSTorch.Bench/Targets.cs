namespace PSTorch.Bench;

/// <summary>One case's pair of results and how it stands against the target for its group.</summary>
public sealed class Comparison
{
    public string Name { get; set; } = "";
    public string Group { get; set; } = "";
    public Result? Ours { get; set; }
    public Result? Peer { get; set; }
    /// <summary>Speed of PSTorch relative to libtorch: &gt; 1 means PSTorch is faster.</summary>
    public double? Ratio { get; set; }
    /// <summary>GEMM only: PSTorch's GFLOP/s as a percentage of the measured fma_v512 peak on as many threads.</summary>
    public double? PctOfFmaPeak { get; set; }
    public string Target { get; set; } = "";
    public bool? Pass { get; set; }
}

/// <summary>The targets, per group (a later group adds one entry).</summary>
public static class Targets
{
    sealed record Goal(string Text, double MinRatio, bool Strict = false, double? MinPctOfPeak = null);

    static readonly Dictionary<string, Goal> ByGroup = new()
    {
        ["gemm"] = new(">= 2x and >= 60% of FMA peak", 2.0, MinPctOfPeak: 60),
        ["ew"] = new(">= 1x", 1.0),
        ["red"] = new(">= 1x", 1.0),
        ["tiny"] = new("> 1x (less overhead)", 1.0, Strict: true),
        ["conv"] = new(">= 1x", 1.0),
        ["pool"] = new(">= 3x (<= 0.33x libtorch's time)", 1 / 0.33),
        ["mlp"] = new(">= 1x", 1.0),
        ["cnn"] = new(">= 1x", 1.0),
        ["fmnist"] = new(">= 1x (epoch time <= libtorch's)", 1.0),
    };

    /// <summary>Goals on a case's own numbers, for cases without a peer: the text and whether a result meets it, given our results so far.</summary>
    sealed record AbsoluteGoal(string Text, Func<Result, IReadOnlyCollection<Result>, (bool? Met, string? Got)> Judge);

    static readonly Dictionary<string, AbsoluteGoal> ByCase = new()
    {
        ["data_jpeg_w1"] = new(">= 300 images/s (1 worker = 1 core)", (r, _) => (r.Throughput >= 300, null)),
        ["data_jpeg_w2"] = new(">= 1.8x data_jpeg_w1", (r, so) =>
            so.FirstOrDefault(o => o.Name == "data_jpeg_w1") is { Throughput: double one } && r.Throughput is double two
                ? (two / one >= 1.8, $"got {two / one:F2}x") : (null, "data_jpeg_w1 not run")),
        ["data_idx_epoch"] = new("< 0.2 s per epoch", (r, _) => (r.MedianMs < 200, null)),
    };

    /// <summary>
    /// Ratio = our throughput / theirs when both report one (the FMA loops size their work differently),
    /// else their per-call time / ours.
    /// </summary>
    public static Comparison Compare(string name, string group, Result? ours, Result? peer, IReadOnlyCollection<Result> oursSoFar)
    {
        var c = new Comparison { Name = name, Group = group, Ours = ours, Peer = peer };
        if (ours != null && peer != null)
            c.Ratio = ours.Throughput is double mine && peer.Throughput is double theirs ? mine / theirs : peer.MedianMs / ours.MedianMs;
        if (ours is { Group: "gemm", Throughput: double gflops }
            && oursSoFar.FirstOrDefault(r => r.Name == $"fma_v512_t{ours.Threads}") is { Throughput: double peak })
        {
            c.PctOfFmaPeak = 100 * gflops / peak;
            ours.Extra ??= new();
            ours.Extra["pct_of_fma512"] = Math.Round(c.PctOfFmaPeak.Value, 1);
        }
        if (ByCase.TryGetValue(name, out var absolute))
        {
            c.Target = absolute.Text;
            if (ours is null) return c;
            var (met, got) = absolute.Judge(ours, oursSoFar);
            c.Pass = met;
            if (got is not null) c.Target += $" ({got})";
            return c;
        }
        if (!ByGroup.TryGetValue(group, out var goal)) return c;
        c.Target = goal.Text;
        if (c.Ratio is not double ratio) return c;
        bool pass = goal.Strict ? ratio > goal.MinRatio : ratio >= goal.MinRatio;
        if (goal.MinPctOfPeak is double minPct) pass &= c.PctOfFmaPeak is double pct && pct >= minPct;
        c.Pass = pass;
        return c;
    }
}
