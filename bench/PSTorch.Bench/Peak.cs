using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PSTorch.Bench;

/// <summary>
/// The achievable FP32 peak: chains of fused multiply-adds that stay in registers (no memory traffic), on 1..n
/// OS threads at once. GEMM results are reported as a percentage of it.
/// </summary>
public static class Peak
{
    // Independent accumulators: more than FMA latency (4) x pipes (2), and few enough to stay in 32 registers.
    const int Accumulators = 12;
    static volatile float sink;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static float Fma512(long iterations)
    {
        var m = Vector512.Create(0.999999f);
        var c = Vector512.Create(1e-6f);
        Vector512<float> a0 = Vector512.Create(1.00f), a1 = Vector512.Create(1.01f), a2 = Vector512.Create(1.02f), a3 = Vector512.Create(1.03f),
                         a4 = Vector512.Create(1.04f), a5 = Vector512.Create(1.05f), a6 = Vector512.Create(1.06f), a7 = Vector512.Create(1.07f),
                         a8 = Vector512.Create(1.08f), a9 = Vector512.Create(1.09f), a10 = Vector512.Create(1.10f), a11 = Vector512.Create(1.11f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c); a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c); a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c); a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c); a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static float Fma256(long iterations)
    {
        var m = Vector256.Create(0.999999f);
        var c = Vector256.Create(1e-6f);
        Vector256<float> a0 = Vector256.Create(1.00f), a1 = Vector256.Create(1.01f), a2 = Vector256.Create(1.02f), a3 = Vector256.Create(1.03f),
                         a4 = Vector256.Create(1.04f), a5 = Vector256.Create(1.05f), a6 = Vector256.Create(1.06f), a7 = Vector256.Create(1.07f),
                         a8 = Vector256.Create(1.08f), a9 = Vector256.Create(1.09f), a10 = Vector256.Create(1.10f), a11 = Vector256.Create(1.11f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c); a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c); a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c); a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c); a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }

    /// <summary>Wall ms from the first thread's start to the last one's end, each worker stamping its own times.</summary>
    static double RunOnThreads(Func<long, float> kernel, long iterations, int threads)
    {
        var start = new long[threads];
        var end = new long[threads];
        using var barrier = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(id => new Thread(() =>
        {
            barrier.SignalAndWait();
            start[id] = Stopwatch.GetTimestamp();
            sink = kernel(iterations);
            end[id] = Stopwatch.GetTimestamp();
        }) { IsBackground = true }).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        return (end.Max() - start.Min()) * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>Aggregate FMA throughput in GFLOP/s of <paramref name="bits"/>-wide vectors on <paramref name="threads"/> threads.</summary>
    public static Result MeasureFma(int bits, int threads)
    {
        if (bits == 512 && !Vector512.IsHardwareAccelerated)
            throw new PlatformNotSupportedException("512-bit vectors are not hardware accelerated on this CPU");
        Func<long, float> kernel = bits == 512 ? Fma512 : Fma256;
        double flopPerIteration = Accumulators * (bits / 32) * 2.0;
        long iterations = 1_000_000;
        for (int i = 0; i < 3; i++) RunOnThreads(kernel, iterations, threads);
        double ms = RunOnThreads(kernel, iterations, threads);
        iterations = Math.Clamp((long)(iterations * 100.0 / Math.Max(ms, 0.01)), 1_000_000, 200_000_000); // ~100 ms per repeat

        var times = new double[Measure.Repeats];
        var meter = CpuMeter.Start();
        for (int r = 0; r < times.Length; r++) times[r] = RunOnThreads(kernel, iterations, threads);
        var (foreign, steal) = meter.Stop();
        var result = Measure.FromSamples($"fma_v{bits}_t{threads}", "peak",
            new() { ["vector_bits"] = bits, ["accumulators"] = Accumulators, ["iters_per_thread"] = iterations, ["os_threads"] = threads },
            threads, times, flopPerIteration * iterations * threads / 1e9, "GFLOP/s",
            "register-resident FMA chains (C# Vector intrinsics), no memory traffic");
        result.ForeignCpuPct = foreign;
        result.StealPct = steal;
        result.Extra = new() { ["gflops_per_core"] = result.Throughput!.Value / threads };
        return result;
    }
}
