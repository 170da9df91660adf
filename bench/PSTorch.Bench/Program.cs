using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PSTorch.Bench;

/// <summary>
/// Runs PSTorch's cases and the peer's case of the same name alternately (each in a fresh process), then prints
/// both columns, the ratio and the issue's target, and writes bench/results.json.
/// </summary>
public static class Program
{
    const string UsageText = """
        usage: dotnet run -c Release --project bench/PSTorch.Bench -- [case|group|prefix ...] [options]   (no case = all)
        options: --list            case names and groups
                 --no-peer         measure PSTorch only
                 --repeats N       timed repeats per case (default 15)
                 --target-ms MS    length of one timed repeat (default 40)
                 --rounds N        PSTorch/libtorch alternations per case, keeping each side's median round
                                   (default 8 for the memory-bound ew and red groups, 1 for the rest)
                 --no-isolate      run PSTorch's cases in this process (default: one child process per case)
                 --peer DIR        the peer's folder (default: ../shared/bench/peer-torchsharp from the repository root)
                 --out FILE        results file (default: bench/results.json)
        """;

    public static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;
        bool list = false, isolate = true, child = false, usePeer = true;
        int? rounds = null;
        string? outPath = null, peerDir = null;
        var filters = new List<string>();
        var timingOptions = new List<string>();   // forwarded to our child processes and to the peer
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--list": case "-h": case "--help": list = true; break;
                case "--no-peer": usePeer = false; break;
                case "--no-isolate": isolate = false; break;
                case "--child": child = true; break;
                case "--repeats": Measure.Repeats = int.Parse(Value()); timingOptions.AddRange(["--repeats", args[i]]); break;
                case "--target-ms": Measure.TargetRepeatMs = double.Parse(Value()); timingOptions.AddRange(["--target-ms", args[i]]); break;
                case "--rounds": rounds = int.Parse(Value()) is int r and > 0 ? r : throw new ArgumentException("--rounds needs a positive count"); break;
                case "--peer": peerDir = Value(); break;
                case "--out": outPath = Value(); break;
                default: filters.Add(args[i]); break;
            }
        }

        var all = Cases.All();
        if (list)
        {
            Console.WriteLine(UsageText);
            Console.WriteLine("cases (group name description):");
            foreach (var c in all) Console.WriteLine($"  {c.Group,-6} {c.Name,-16} {c.Description}");
            return 0;
        }
        if (child) return RunChild(all.Where(c => filters.Contains(c.Name)).ToList(), outPath!);

        var unknown = filters.Where(f => f != "all" && !all.Any(c => Matches(c, f))).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown case(s): {string.Join(", ", unknown)}   (--list shows them)");
            return 2;
        }
        var selected = filters.Count == 0 || filters.Contains("all") ? all : all.Where(c => filters.Any(f => Matches(c, f))).ToList();
        // GEMM is judged against the measured FMA peak on as many threads: measure it too when not asked for.
        var peaks = selected.Where(c => c.Group == "gemm").Select(c => $"fma_v512_t{c.Name[(c.Name.LastIndexOf("_t") + 2)..]}").Distinct();
        selected = all.Where(c => selected.Contains(c) || peaks.Contains(c.Name)).ToList();

        string root = RepositoryRoot();
        PeerRunner? peer = usePeer ? new PeerRunner(peerDir ?? Path.Combine(root, "..", "shared", "bench", "peer-torchsharp")) : null;
        peer?.EnsureBuilt();
        outPath ??= Path.Combine(root, "bench", "results.json");
        return Drive(selected, peer, isolate, rounds, timingOptions, outPath, args);
    }

    /// <summary>
    /// Groups whose cases only move memory: both sides sit near the machine's bandwidth, which on this shared VM
    /// drifts by tens of percent within seconds, so one PSTorch run and one libtorch run a few seconds apart
    /// compare the drift as much as the code. Alternating several rounds gives both sides the same spread of conditions.
    /// </summary>
    static readonly HashSet<string> BandwidthBoundGroups = ["ew", "red"];

    static bool Matches(Case c, string filter) => c.Group == filter || c.Name.StartsWith(filter, StringComparison.Ordinal);

    static int Drive(List<Case> selected, PeerRunner? peer, bool isolate, int? rounds, List<string> timingOptions, string outPath, string[] args)
    {
        var cpu = CpuDescription();
        Console.WriteLine($"CPU: {cpu}; PSTorch threads {Cases.Threads} (GEMM also 1)");
        Console.WriteLine($"method: warm-up >= 3 calls and >= {Measure.WarmupMs} ms + 1 untimed repeat; {Measure.Repeats} timed repeats of ~{Measure.TargetRepeatMs} ms; per-call median");
        Console.WriteLine($"PSTorch {(isolate ? "one process per case" : "in this process")}; libtorch: {(peer == null ? "not run (--no-peer)" : peer.Directory)}; alternating case by case, "
            + (rounds is int r ? $"{r} round(s) each" : $"{DefaultBandwidthBoundRounds} rounds for {string.Join(" and ", BandwidthBoundGroups)}, 1 for the rest") + ", each side's median round kept");
        Console.WriteLine($"loadavg at start: {LoadAverage()}");
        Console.WriteLine();

        var total = Stopwatch.StartNew();
        var ours = new List<Result>();
        var comparisons = new List<Comparison>();
        var errors = new Dictionary<string, string>();
        foreach (var c in selected)
        {
            int caseRounds = rounds ?? (BandwidthBoundGroups.Contains(c.Group) ? DefaultBandwidthBoundRounds : 1);
            var myRounds = new List<List<Result>>();
            var theirRounds = new List<List<Result>>();
            for (int round = 0; round < caseRounds; round++)
            {
                // odd rounds run libtorch first, so neither side always follows the other
                if (round % 2 == 0) myRounds.Add(isolate ? RunIsolated(c, timingOptions, errors) : RunHere(c, errors));
                if (peer != null && c.HasPeer)
                {
                    var peerRound = peer.Run(c.Name, timingOptions, out var peerError);
                    if (peerError != null) errors[$"peer:{c.Name}"] = peerError;
                    if (peerRound != null) theirRounds.Add(peerRound);
                }
                if (round % 2 == 1) myRounds.Add(isolate ? RunIsolated(c, timingOptions, errors) : RunHere(c, errors));
            }
            var mine = MedianRound(myRounds);
            ours.AddRange(mine);
            List<Result>? theirs = peer != null && c.HasPeer && theirRounds.Count > 0 ? MedianRound(theirRounds) : null;
            var names = mine.Select(r => r.Name).Concat(theirs?.Select(r => r.Name) ?? []).Distinct().DefaultIfEmpty(c.Name);
            foreach (var name in names)
            {
                var comparison = Targets.Compare(name, c.Group, mine.FirstOrDefault(r => r.Name == name), theirs?.FirstOrDefault(r => r.Name == name), ours);
                comparisons.Add(comparison);
                Console.WriteLine(ProgressLine(comparison));
            }
            foreach (var key in new[] { c.Name, $"peer:{c.Name}" })
                if (errors.TryGetValue(key, out var e)) Console.WriteLine($"  {key} FAILED: {e}");
        }
        Console.WriteLine($"\ntotal wall time {total.Elapsed.TotalSeconds:F1} s\n");
        Console.WriteLine(MarkdownTable(comparisons));

        var document = new Dictionary<string, object?>
        {
            ["harness"] = "PSTorch.Bench",
            ["timestamp_utc"] = DateTime.UtcNow.ToString("o"),
            ["cpu"] = cpu,
            ["dotnet"] = Environment.Version.ToString(),
            ["args"] = args,
            ["isolated_processes"] = isolate,
            ["threads"] = Cases.Threads,
            ["repeats"] = Measure.Repeats,
            ["rounds"] = rounds?.ToString() ?? $"{DefaultBandwidthBoundRounds} for {string.Join(", ", BandwidthBoundGroups)}; 1 otherwise",
            ["target_repeat_ms"] = Measure.TargetRepeatMs,
            ["loadavg_at_start"] = LoadAverage(),
            ["statistic"] = "per-call time: median/min/max over repeats; ratio = PSTorch throughput / libtorch throughput (> 1: PSTorch faster)",
            ["peer"] = peer?.Directory,
            ["total_wall_s"] = total.Elapsed.TotalSeconds,
            ["errors"] = errors,
            ["comparisons"] = comparisons,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        File.WriteAllText(outPath, JsonSerializer.Serialize(document, Json.Options));
        Console.WriteLine($"wrote {Path.GetFullPath(outPath)}");
        return errors.Count == 0 ? 0 : 1;
    }

    const int DefaultBandwidthBoundRounds = 8;

    /// <summary>
    /// Per result name, the round with the median per-call time (the lower middle for an even count), with every
    /// round's median recorded in its extra fields; a single round is returned as it is.
    /// </summary>
    static List<Result> MedianRound(List<List<Result>> rounds)
    {
        if (rounds.Count == 1) return rounds[0];
        var merged = new List<Result>();
        foreach (var name in rounds.SelectMany(r => r).Select(r => r.Name).Distinct())
        {
            var byTime = rounds.SelectMany(r => r).Where(r => r.Name == name).OrderBy(r => r.MedianMs).ToList();
            var kept = byTime[(byTime.Count - 1) / 2];
            kept.Extra ??= new();
            kept.Extra["round_median_ms"] = byTime.Select(r => r.MedianMs).ToArray();
            merged.Add(kept);
        }
        return merged;
    }

    sealed class ChildOutput
    {
        public List<Result> Results { get; set; } = new();
        public Dictionary<string, string> Errors { get; set; } = new();
    }

    static int RunChild(List<Case> cases, string outPath)
    {
        var output = new ChildOutput();
        foreach (var c in cases) output.Results.AddRange(RunHere(c, output.Errors));
        File.WriteAllText(outPath, JsonSerializer.Serialize(output, Json.Options));
        return output.Errors.Count == 0 ? 0 : 1;
    }

    static List<Result> RunHere(Case c, Dictionary<string, string> errors)
    {
        try
        {
            return [c.Run()];
        }
        catch (Exception e)
        {
            errors[c.Name] = $"{e.GetType().Name}: {e.Message}";
            return [];
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    /// <summary>Runs one case in a fresh process, so allocator caches, JIT state and helper threads of earlier cases cannot leak in.</summary>
    static List<Result> RunIsolated(Case c, List<string> timingOptions, Dictionary<string, string> errors)
    {
        var output = Path.Combine(Path.GetTempPath(), $"pstorch-bench-{Environment.ProcessId}-{c.Name}.json");
        var exe = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") psi.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in timingOptions.Concat(["--child", "--out", output, c.Name])) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            if (!File.Exists(output))
            {
                errors[c.Name] = $"child exited {p.ExitCode} without output";
                return [];
            }
            var got = JsonSerializer.Deserialize<ChildOutput>(File.ReadAllText(output), Json.Options)!;
            foreach (var (name, error) in got.Errors) errors[name] = error;
            return got.Results;
        }
        finally
        {
            File.Delete(output);
        }
    }

    static string Format(double? v) => v switch
    {
        null => "-",
        >= 1000 => v.Value.ToString("F0"),
        >= 100 => v.Value.ToString("F1"),
        >= 1 => v.Value.ToString("F2"),
        _ => v.Value.ToString("F4"),
    };

    static string PassText(Comparison c) => c.Pass switch { true => "pass", false => "MISS", null => "" };

    static string ProgressLine(Comparison c) =>
        $"{c.Name,-16} PSTorch {Format(c.Ours?.MedianMs),9} ms {Format(c.Ours?.Throughput),8}  libtorch {Format(c.Peer?.MedianMs),9} ms {Format(c.Peer?.Throughput),8} " +
        $"{c.Ours?.ThroughputUnit ?? c.Peer?.ThroughputUnit,-9} ratio {Format(c.Ratio),6}" +
        $"{(c.PctOfFmaPeak is double p ? $"  {p:F0}% of FMA peak" : "")}  {c.Target} {PassText(c)}" +
        $"  (foreign% {Format(c.Ours?.ForeignCpuPct)}/{Format(c.Peer?.ForeignCpuPct)}){MemoryText(c.Ours)}";

    static string MemoryText(Result? r) =>
        r?.Extra is { } e && e.TryGetValue("managed_bytes_per_call", out var bytes)
            ? $"  [managed {bytes} B/call, GCs {e["gc_gen0"]}/{e["gc_gen1"]}/{e["gc_gen2"]} in {e["calls"]} calls, live tensor bytes {e["live_tensor_bytes_change"]}]"
            : "";

    static string MarkdownTable(List<Comparison> comparisons)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| case | PSTorch ms | libtorch ms | PSTorch | libtorch | unit | ratio | % FMA peak | target | result | foreign% (ours/peer) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---|---:|---:|---|---|---|");
        foreach (var c in comparisons)
            sb.AppendLine($"| {c.Name} | {Format(c.Ours?.MedianMs)} | {Format(c.Peer?.MedianMs)} | {Format(c.Ours?.Throughput)} | {Format(c.Peer?.Throughput)} | " +
                          $"{c.Ours?.ThroughputUnit ?? c.Peer?.ThroughputUnit} | {Format(c.Ratio)} | {(c.PctOfFmaPeak is double p ? p.ToString("F0") : "")} | " +
                          $"{c.Target} | {PassText(c)} | {Format(c.Ours?.ForeignCpuPct)}/{Format(c.Peer?.ForeignCpuPct)} |");
        return sb.ToString();
    }

    static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "PSTorch.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("run from inside the PSTorch repository (PSTorch.sln not found above the current directory)");
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";

    static string CpuDescription()
    {
        string model = "?", mhz = "?";
        if (File.Exists("/proc/cpuinfo"))
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var kv = line.Split(':', 2);
                if (kv.Length != 2) continue;
                if (kv[0].Trim() == "model name" && model == "?") model = kv[1].Trim();
                if (kv[0].Trim() == "cpu MHz" && mhz == "?") mhz = kv[1].Trim();
            }
        return $"{model}, {Environment.ProcessorCount} logical CPUs, {mhz} MHz, AVX-512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}";
    }
}
