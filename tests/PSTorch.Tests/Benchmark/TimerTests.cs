using PSTorch.Benchmark;
using Xunit;

namespace PSTorch.Tests.Benchmark;

// Torch.SetNumThreads is process-wide: classes that change it run one at a time.
[Collection("NumThreads")]
public class TimerTests
{
    static readonly TimeSpan Short = TimeSpan.FromMilliseconds(1);

    /// <summary>numpy's default quantile (linear interpolation), written out independently of Measurement's.</summary>
    static double Percentile(double[] values, double q)
    {
        var s = values.Order().ToArray();
        double h = (s.Length - 1) * q;
        int below = (int)h;
        return below + 1 < s.Length ? s[below] + (h - below) * (s[below + 1] - s[below]) : s[below];
    }

    [Fact]
    public void StatisticsOfKnownTimes()
    {
        var m = new Measurement([0.004, 0.001, 0.003, 0.002, 0.005], 10, "op", "", PSTorch.Device.Cpu, 2, flops: 1e6, bytes: 4e6);
        Assert.Equal(0.003, m.Median, 12);
        Assert.Equal(0.003, m.Mean, 12);
        Assert.Equal(0.002, m.LowerQuartile, 12);
        Assert.Equal(0.004, m.UpperQuartile, 12);
        Assert.Equal(0.002, m.IQR, 12);
        Assert.Equal(0.001, m.Min);
        Assert.Equal(0.005, m.Max);
        Assert.Equal(5, m.Runs);
        Assert.Equal(1e6 / 0.003 / 1e9, m.GFlopsPerSecond!.Value, 9);
        Assert.Equal(4e6 / 0.003 / 1e9, m.GBPerSecond!.Value, 9);
    }

    [Fact]
    public void Quartiles_InterpolateBetweenOrderStatistics()
    {
        var m = new Measurement([1, 2, 3, 4], 1, "", "", PSTorch.Device.Cpu, 1, null, null);
        Assert.Equal(1.75, m.LowerQuartile, 12);
        Assert.Equal(3.25, m.UpperQuartile, 12);
        Assert.Equal(2.5, m.Median, 12);
        Assert.Null(m.GFlopsPerSecond);
        Assert.Null(m.GBPerSecond);
    }

    [Fact]
    public void GigaRates_AreWorkPerCallOverTheMedian()
    {
        // 2 GFLOP and 3 GB per call at a median of 0.5 s: 4 GFLOP/s and 6 GB/s
        var m = new Measurement([0.4, 0.5, 0.6], 1, "", "", PSTorch.Device.Cpu, 1, flops: 2e9, bytes: 3e9);
        Assert.Equal(4.0, m.GFlopsPerSecond!.Value, 12);
        Assert.Equal(6.0, m.GBPerSecond!.Value, 12);
        Assert.EndsWith("  4.00 GFLOP/s, 6.00 GB/s", m.ToString());
    }

    [Fact]
    public void Text_IsPyTorchsMeasurementLayoutInTheMediansUnit()
    {
        var m = new Measurement([0.00121, 0.00123, 0.00125], 100, "matmul(64)", "float32 on cpu", PSTorch.Device.Cpu, 2, null, null);
        Assert.Equal(string.Join(Environment.NewLine,
            "matmul(64)",
            "  float32 on cpu",
            "  Median: 1.23 ms",
            "  IQR:    0.02 ms (1.22 to 1.24)",
            "  3 measurements, 100 runs per measurement, 2 threads"), m.ToString());
        var one = new Measurement([2.5e-7], 1, "", "", PSTorch.Device.Cpu, 1, null, null);
        Assert.Equal(string.Join(Environment.NewLine,
            "  Median: 250.00 ns",
            "  IQR:    0.00 ns (250.00 to 250.00)",
            "  1 measurement, 1 runs per measurement, 1 thread"), one.ToString());
    }

    [Theory]
    [InlineData(5e-9, "5.00 ns")]
    [InlineData(2.5e-5, "25.00 us")]
    [InlineData(0.0123, "12.30 ms")]
    [InlineData(3.0, "3.00 s")]
    public void FormatTime_PicksPyTorchsUnit(double seconds, string text) => Assert.Equal(text, Measurement.FormatTime(seconds));

    [Fact]
    public void MeasuresASleepOfKnownLength()
    {
        var m = new PSTorch.Benchmark.Timer(() => Thread.Sleep(20), "sleep").BlockedAutorange(TimeSpan.FromMilliseconds(100), minRuns: 5, warmup: Short);
        Assert.True(m.Median >= 0.020, $"median {m.Median}");
        Assert.True(m.Median < 1.0, $"median {m.Median}");
        Assert.Equal(1, m.CallsPerRun); // a 20 ms call already exceeds the 10 ms block
        Assert.True(m.Runs >= 5);
        Assert.All(m.Times, t => Assert.True(t >= 0.020, $"time {t}"));
        Assert.Equal(m.Times.Min(), m.Min);
        Assert.Equal(m.Times.Max(), m.Max);
        Assert.Equal(m.Times.Average(), m.Mean, 12);
        Assert.Equal(Percentile(m.Times, 0.5), m.Median, 12);
        Assert.Equal(Percentile(m.Times, 0.75) - Percentile(m.Times, 0.25), m.IQR, 12);
        Assert.True(m.Times.Sum() >= 0.1, "stopped before the minimum time");
        Assert.Equal("sleep", m.Label);
    }

    [Fact]
    public void ShortCalls_AreTimedInBlocks()
    {
        int calls = 0;
        var m = new PSTorch.Benchmark.Timer(() => calls++).BlockedAutorange(TimeSpan.FromMilliseconds(20), minRuns: 3, warmup: Short);
        Assert.True(m.CallsPerRun > 1, $"{m.CallsPerRun} calls per run");
        Assert.True(calls >= m.Runs * m.CallsPerRun);
    }

    [Fact]
    public void Compare_TimesPairsAndReportsTheRatio()
    {
        // 2 ms against 60 ms: late wake-ups on a loaded machine add to both and still leave the second clearly longer
        var fast = new PSTorch.Benchmark.Timer(() => Thread.Sleep(2), "fast");
        var slow = new PSTorch.Benchmark.Timer(() => Thread.Sleep(60), "slow");
        var c = PSTorch.Benchmark.Timer.Compare(fast, slow, TimeSpan.FromMilliseconds(50), minRuns: 5, warmup: Short);
        Assert.Equal(c.Baseline.Runs, c.Candidate.Runs);
        Assert.True(c.Baseline.Runs >= 5);
        Assert.Equal("fast", c.Baseline.Label);
        Assert.All(c.Candidate.Times, t => Assert.True(t >= 0.060));
        Assert.True(c.MedianRatio > 1.5, $"ratio of medians {c.MedianRatio}");
        Assert.True(c.PairedRatio > 1.5, $"median of pair ratios {c.PairedRatio}");
        Assert.Equal(c.Candidate.Median / c.Baseline.Median, c.MedianRatio, 12);
        Assert.Equal(c.Baseline.Times.Zip(c.Candidate.Times, (b, s) => s / b).ToArray(), c.PairRatios);
        Assert.Equal(Percentile(c.PairRatios, 0.5), c.PairedRatio, 12);
        Assert.Contains("Ratio (second / first)", c.ToString());
    }

    [Fact]
    public void PairedRatio_IsTheMedianOfThePairs()
    {
        var baseline = new Measurement([1, 1, 1, 1], 1, "", "", PSTorch.Device.Cpu, 1, null, null);
        var candidate = new Measurement([2, 3, 5, 100], 1, "", "", PSTorch.Device.Cpu, 1, null, null);
        var c = new Comparison(baseline, candidate);
        Assert.Equal(4.0, c.PairedRatio);
        Assert.Equal(4.0, c.MedianRatio);
        Assert.Throws<ArgumentException>(() => new Comparison(baseline, new Measurement([1], 1, "", "", PSTorch.Device.Cpu, 1, null, null)));
    }

    [Fact]
    public void Threads_AreSetForTheTimingAndRestored()
    {
        int before = Torch.GetNumThreads();
        int seen = 0;
        var m = new PSTorch.Benchmark.Timer(() => seen = Torch.GetNumThreads()) { Threads = 1 }.BlockedAutorange(Short, minRuns: 1, warmup: Short);
        Assert.Equal(1, seen);
        Assert.Equal(1, m.Threads);
        Assert.Equal(before, Torch.GetNumThreads());
    }

    [Fact]
    public void CudaTimer_FailsWithTheEnginesMessage()
    {
        var timer = new PSTorch.Benchmark.Timer(() => { }, device: PSTorch.Device.Parse("cuda"));
        var e = Assert.ThrowsAny<NotSupportedException>(() => timer.BlockedAutorange(Short, 1, Short));
        Assert.StartsWith("CUDA unavailable", e.Message);
    }

    [Fact]
    public void BadMinimums_AreRefused()
    {
        var timer = new PSTorch.Benchmark.Timer(() => { });
        Assert.Throws<ArgumentException>(() => timer.BlockedAutorange(Short, minRuns: 0));
        Assert.Throws<ArgumentException>(() => timer.BlockedAutorange(TimeSpan.FromSeconds(-1)));
    }
}
