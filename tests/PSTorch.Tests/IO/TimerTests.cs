using PSTorch.Benchmark;
using Xunit;

namespace PSTorch.Tests.IO;

public class TimerTests
{
    [Fact]
    public void StatisticsOfKnownTimes()
    {
        var m = new Measurement([0.004, 0.001, 0.003, 0.002, 0.005], 10, "op", "", PSTorch.Device.Cpu, 2, flops: 1e6, bytes: 4e6);
        Assert.Equal(0.003, m.Median, 12);
        Assert.Equal(0.003, m.Mean, 12);
        Assert.Equal(0.002, m.IQR, 12);
        Assert.Equal(0.001, m.Min);
        Assert.Equal(0.005, m.Max);
        Assert.Equal(5, m.Runs);
        Assert.Equal(1e6 / 0.003 / 1e9, m.GFlopsPerSecond!.Value, 9);
        Assert.Contains("Median: 3.00 ms", m.ToString());
    }

    [Fact]
    public void MeasuresASleepOfKnownLength()
    {
        var m = new PSTorch.Benchmark.Timer(() => Thread.Sleep(5)).BlockedAutorange(TimeSpan.FromMilliseconds(60), minRuns: 5, warmup: TimeSpan.Zero);
        Assert.True(m.Median >= 0.005, $"median {m.Median}");
        Assert.True(m.Min >= 0.005);
        Assert.True(m.Runs >= 5);
        Assert.All(m.Times, t => Assert.True(t >= 0.005));
    }
}
