using PSTorch.Backends;

namespace PSTorch.Benchmark;

/// <summary>
/// torch.utils.benchmark.Timer: runs an action after a warm-up, in blocks of calls long enough to time
/// reliably, until a minimum total time and number of blocks are reached, and summarises per-call times.
/// The device is synchronised before the clock starts and before it stops, so queued device work is counted.
/// </summary>
public sealed class Timer(Action action, string label = "", string description = "", Device? device = null)
{
    /// <summary>A block of calls lasts about this long, so the clock's resolution is negligible.</summary>
    const double BlockSeconds = 0.01;

    const int MaxCallsPerBlock = 1 << 20;

    readonly Action action = action;

    public string Label { get; } = label;
    public string Description { get; } = description;
    public Device Device { get; } = device ?? Device.Cpu;

    /// <summary>Work per call, for GFLOP/s.</summary>
    public double? Flops { get; init; }

    /// <summary>Bytes moved per call, for GB/s.</summary>
    public double? Bytes { get; init; }

    /// <summary>torch.set_num_threads for the duration of the timing (num_threads); null keeps the current setting.</summary>
    public int? Threads { get; init; }

    /// <summary>Times the action until at least <paramref name="minRunTime"/> has been measured and at least <paramref name="minRuns"/> blocks ran.</summary>
    public Measurement BlockedAutorange(TimeSpan? minRunTime = null, int minRuns = 7, TimeSpan? warmup = null)
    {
        CheckMinimums(minRunTime, minRuns);
        using var threads = new ThreadCountScope(Threads);
        var clock = new DeviceClock(Device);
        int block = clock.CallsPerBlock(action, warmup);
        var minTime = minRunTime ?? TimeSpan.FromSeconds(0.2);
        var times = new List<double>();
        double total = 0;
        while (times.Count < minRuns || total < minTime.TotalSeconds)
        {
            double elapsed = clock.Time(action, block);
            total += elapsed;
            times.Add(elapsed / block);
        }
        return Measure(times.ToArray(), block);
    }

    /// <summary>Times exactly <paramref name="number"/> calls per block for <paramref name="repeats"/> blocks (timeit).</summary>
    public Measurement Timeit(int number = 1, int repeats = 1)
    {
        if (number <= 0 || repeats <= 0) throw new ArgumentException($"number and repeats must be positive, got {number} and {repeats}");
        using var threads = new ThreadCountScope(Threads);
        var clock = new DeviceClock(Device);
        action();
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++) times[r] = clock.Time(action, number) / number;
        return Measure(times, number);
    }

    /// <summary>
    /// Times <paramref name="baseline"/> and <paramref name="candidate"/> pair by pair: each pair runs one block of each,
    /// in alternating order, so drifts in machine load fall on both alike. Runs until both minimums are met for each.
    /// </summary>
    public static Comparison Compare(Timer baseline, Timer candidate, TimeSpan? minRunTime = null, int minRuns = 7, TimeSpan? warmup = null)
    {
        CheckMinimums(minRunTime, minRuns);
        using var threads = new ThreadCountScope(baseline.Threads ?? candidate.Threads);
        var (clockA, clockB) = (new DeviceClock(baseline.Device), new DeviceClock(candidate.Device));
        int blockA = clockA.CallsPerBlock(baseline.action, warmup), blockB = clockB.CallsPerBlock(candidate.action, warmup);
        var minTime = (minRunTime ?? TimeSpan.FromSeconds(0.2)).TotalSeconds;
        var (timesA, timesB) = (new List<double>(), new List<double>());
        double totalA = 0, totalB = 0;
        while (timesA.Count < minRuns || totalA < minTime || totalB < minTime)
        {
            double a, b;
            if (timesA.Count % 2 == 0)
            {
                a = clockA.Time(baseline.action, blockA);
                b = clockB.Time(candidate.action, blockB);
            }
            else
            {
                b = clockB.Time(candidate.action, blockB);
                a = clockA.Time(baseline.action, blockA);
            }
            (totalA, totalB) = (totalA + a, totalB + b);
            timesA.Add(a / blockA);
            timesB.Add(b / blockB);
        }
        return new Comparison(baseline.Measure(timesA.ToArray(), blockA), candidate.Measure(timesB.ToArray(), blockB));
    }

    /// <summary>Throws the backend's NotSupportedException ("CUDA unavailable: ...") when the timer's device cannot run.</summary>
    internal void CheckDevice() => Backend.For(Device);

    static void CheckMinimums(TimeSpan? minRunTime, int minRuns)
    {
        if (minRuns <= 0) throw new ArgumentException($"minRuns must be positive, got {minRuns}");
        if (minRunTime < TimeSpan.Zero) throw new ArgumentException($"minRunTime must not be negative, got {minRunTime}");
    }

    Measurement Measure(double[] times, int callsPerRun) =>
        new(times, callsPerRun, Label, Description, Device, Torch.GetNumThreads(), Flops, Bytes);

    /// <summary>Timing of blocks of calls by the device's clock: the wall clock on the CPU, CUDA events on a GPU.</summary>
    readonly struct DeviceClock(Device device)
    {
        // resolving the backend first makes an unavailable device fail before anything runs
        readonly IBackend backend = Backend.For(device);

        /// <summary>Seconds for <paramref name="calls"/> calls, the device's queued work included.</summary>
        public double Time(Action action, int calls) => backend.Time(device, action, calls);

        /// <summary>
        /// Warms up (at least 3 calls and the warm-up time, 50 ms by default, so the JIT and caches have settled), then
        /// doubles the calls per block until a block lasts <see cref="BlockSeconds"/> (timeit's autorange).
        /// </summary>
        public int CallsPerBlock(Action action, TimeSpan? warmup)
        {
            double warm = (warmup ?? TimeSpan.FromMilliseconds(50)).TotalSeconds, elapsed = 0;
            for (int calls = 0; calls < 3 || elapsed < warm; calls++) elapsed += Time(action, 1);
            int block = 1;
            while (block < MaxCallsPerBlock && Time(action, block) < BlockSeconds) block *= 2;
            return block;
        }
    }

    /// <summary>Sets the thread count for a timing and restores the previous one.</summary>
    readonly struct ThreadCountScope : IDisposable
    {
        readonly int? previous;

        public ThreadCountScope(int? threads)
        {
            if (threads is not { } n) return;
            previous = Torch.GetNumThreads();
            Torch.SetNumThreads(n);
        }

        public void Dispose()
        {
            if (previous is { } n) Torch.SetNumThreads(n);
        }
    }
}
