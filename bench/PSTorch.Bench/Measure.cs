using System.Diagnostics;

namespace PSTorch.Bench;

/// <summary>
/// The timing method shared with the peer: warm-up (at least 3 calls and <see cref="WarmupMs"/>, then one untimed
/// repeat at the final loop count), then <see cref="Repeats"/> timed repeats that each loop the op for about
/// <see cref="TargetRepeatMs"/>; per-call median/min/max over the repeats. The warm-up is 2 s here where the peer's is
/// 300 ms: .NET's tiered JIT runs a method's first calls unoptimised and re-compiles it in the background only after
/// some 30 calls, so within 300 ms a training step still ran partly unoptimised code (cnn_train_b64 29 ms; 11 ms
/// after 2 s). libtorch's native kernels need no such warm-up; the whole-epoch cases include ours.
/// </summary>
public static class Measure
{
    public static int Repeats = 15;
    public static double TargetRepeatMs = 40;
    public const double WarmupMs = 2000;

    public static double Median(IReadOnlyList<double> values)
    {
        var s = values.Order().ToArray();
        int n = s.Length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /// <summary>
    /// Times <paramref name="op"/> on <paramref name="threads"/> CPU threads. The op must release what it allocates
    /// (Dispose), as eager PyTorch frees a temporary when its last reference goes.
    /// <paramref name="workPerCall"/> / seconds per call = throughput.
    /// </summary>
    public static Result Op(string name, string group, Dictionary<string, object> parameters, int threads, Action op,
                            double? workPerCall = null, string? unit = null, string? note = null)
    {
        int previousThreads = Torch.GetNumThreads();
        Torch.SetNumThreads(threads);
        try
        {
            var warmup = Stopwatch.StartNew();
            var recent = new List<double>();
            int warmupCalls = 0;
            while ((warmupCalls < 3 || warmup.Elapsed.TotalMilliseconds < WarmupMs) && warmupCalls < 5000)
            {
                long t0 = Stopwatch.GetTimestamp();
                op();
                recent.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                warmupCalls++;
            }
            double estimateMs = Median(recent.TakeLast(3).ToList());
            int inner = Math.Max(1, (int)Math.Ceiling(TargetRepeatMs / Math.Max(estimateMs, 1e-6)));
            for (int i = 0; i < inner; i++) op();
            warmupCalls += inner;

            var times = new double[Repeats];
            var memory = MemoryMeter.Start();
            var meter = CpuMeter.Start();
            for (int r = 0; r < Repeats; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < inner; i++) op();
                times[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / inner;
            }
            var (foreign, steal) = meter.Stop();
            var memoryUse = memory.Stop((long)Repeats * inner);
            var result = FromSamples(name, group, parameters, threads, times, workPerCall, unit, note);
            result.InnerIters = inner;
            result.WarmupCalls = warmupCalls;
            result.ForeignCpuPct = foreign;
            result.StealPct = steal;
            result.Extra = memoryUse;
            return result;
        }
        finally
        {
            Torch.SetNumThreads(previousThreads);
        }
    }

    /// <summary>A result from externally timed per-call samples (ms).</summary>
    public static Result FromSamples(string name, string group, Dictionary<string, object> parameters, int threads,
                                     IReadOnlyList<double> samplesMs, double? workPerCall, string? unit, string? note = null)
    {
        var result = new Result
        {
            Name = name, Group = group, Parameters = parameters, Threads = threads,
            Repeats = samplesMs.Count, InnerIters = 1,
            MedianMs = Median(samplesMs), MinMs = samplesMs.Min(), MaxMs = samplesMs.Max(),
            ThroughputUnit = unit, Note = note,
        };
        if (workPerCall is double work)
        {
            result.Throughput = work / (result.MedianMs / 1e3);
            result.ThroughputBest = work / (result.MinMs / 1e3);
            result.ThroughputWorst = work / (result.MaxMs / 1e3);
        }
        return result;
    }
}
