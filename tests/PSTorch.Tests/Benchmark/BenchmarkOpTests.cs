using PSTorch.Benchmark;
using Xunit;

namespace PSTorch.Tests.Benchmark;

// A timer run with a thread count sets the process-wide Torch.SetNumThreads while it runs.
[Collection("NumThreads")]
public class BenchmarkOpTests
{
    static readonly TimeSpan Short = TimeSpan.FromMilliseconds(1);

    [Theory]
    [InlineData("matmul", new long[] { 2, 3, 4 }, 48.0, 4.0 * (6 + 12 + 8))]
    [InlineData("MM", new long[] { 8 }, 2.0 * 512, 4.0 * 3 * 64)]
    [InlineData("bmm", new long[] { 5, 2, 3, 4 }, 5 * 48.0, 5 * 4.0 * (6 + 12 + 8))]
    [InlineData("add", new long[] { 10, 20 }, 200.0, 12.0 * 200)]
    [InlineData("mul", new long[] { 7 }, 7.0, 12.0 * 7)]
    [InlineData("relu", new long[] { 4, 4 }, 16.0, 8.0 * 16)]
    [InlineData("sum", new long[] { 100 }, 100.0, 4.0 * 101)]
    // 1 image of 2 x 5 x 5, 3 filters of 3 x 3: 3 x 3 outputs per filter, each 2 * 3 * 3 multiply-adds
    [InlineData("conv2d", new long[] { 1, 2, 5, 5, 3, 3 }, 2.0 * 3 * 9 * 2 * 9, 4.0 * (50 + 54 + 27))]
    public void KnownWorkPerCall(string name, long[] sizes, double flops, double bytes)
    {
        var op = BenchmarkOp.Get(name);
        Assert.Equal(flops, op.FlopsFor(sizes));
        Assert.Equal(bytes, op.BytesFor(sizes));
    }

    [Fact]
    public void Softmax_CountsBytesOnly()
    {
        Assert.Null(BenchmarkOp.Get("softmax").FlopsFor([4, 8]));
        Assert.Equal(2 * 4.0 * 32, BenchmarkOp.Get("softmax").BytesFor([4, 8]));
    }

    [Fact]
    public void UnknownOp_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => BenchmarkOp.Get("matmull"));
        Assert.Equal("Unknown op 'matmull'. Known ops: add, bmm, conv2d, matmul, mm, mul, relu, softmax, sum.", e.Message);
    }

    [Fact]
    public void WrongSizes_SayWhatTheOpTakes()
    {
        Assert.Contains("or M,K,N (M x K times K x N); got 2,3", Assert.Throws<ArgumentException>(() => BenchmarkOp.Get("matmul").FlopsFor([2, 3])).Message);
        Assert.Contains("positive", Assert.Throws<ArgumentException>(() => BenchmarkOp.Get("add").BytesFor([0, 3])).Message);
        Assert.Contains("larger than", Assert.Throws<ArgumentException>(() => BenchmarkOp.Get("conv2d").BytesFor([1, 1, 2, 2, 1, 3])).Message);
    }

    [Theory]
    [InlineData("matmul", new long[] { 16, 8, 4 })]
    [InlineData("bmm", new long[] { 2, 3, 4, 5 })]
    [InlineData("conv2d", new long[] { 1, 2, 6, 6, 3, 3 })]
    [InlineData("softmax", new long[] { 3, 7 })]
    [InlineData("sum", new long[] { 3, 7 })]
    [InlineData("relu", new long[] { 9 })]
    public void EveryOp_RunsAndReportsItsRates(string name, long[] sizes)
    {
        var op = BenchmarkOp.Get(name);
        var m = op.CreateTimer(sizes, PSTorch.Device.Cpu, threads: 1).BlockedAutorange(Short, minRuns: 2, warmup: Short);
        Assert.Equal($"{name}({string.Join(", ", sizes)})", m.Label);
        Assert.Equal("float32 on cpu", m.Description);
        Assert.Equal(1, m.Threads);
        Assert.Equal(op.BytesFor(sizes) / m.Median / 1e9, m.GBPerSecond!.Value, 6);
        if (op.FlopsFor(sizes) is { } flops) Assert.Equal(flops / m.Median / 1e9, m.GFlopsPerSecond!.Value, 6);
    }

    [Fact]
    public void OnCuda_TheInputsCannotBeMade()
    {
        var e = Assert.ThrowsAny<NotSupportedException>(() => BenchmarkOp.Get("add").CreateTimer([4], PSTorch.Device.Parse("cuda")));
        Assert.StartsWith("CUDA unavailable", e.Message);
    }

    [Fact]
    public void DeviceTiming_ReportsAnUnavailableDeviceAndStillTimesTheOther()
    {
        var failures = new List<(Device, string)>();
        var result = DeviceTiming.Run([PSTorch.Device.Cpu, PSTorch.Device.Parse("cuda")],
            d => BenchmarkOp.Get("add").CreateTimer([16], d), Short, 2, (d, e) => failures.Add((d, e.Message)));
        var m = Assert.IsType<Measurement>(result);
        Assert.Equal(PSTorch.Device.Cpu, m.Device);
        var (device, message) = Assert.Single(failures);
        Assert.Equal("cuda:0", device.ToString());
        Assert.StartsWith("CUDA unavailable", message);
    }

    [Fact]
    public void DeviceTiming_OnTwoUsableDevicesComparesThem()
    {
        // two timers that both run on the CPU stand in for cpu and cuda, which this machine lacks
        int created = 0;
        var result = DeviceTiming.Run([PSTorch.Device.Cpu, PSTorch.Device.Parse("cuda")],
            _ => { int ms = ++created * 2; return new PSTorch.Benchmark.Timer(() => Thread.Sleep(ms)); }, Short, 3, (_, e) => throw e);
        var c = Assert.IsType<Comparison>(result);
        Assert.Equal(c.Baseline.Runs, c.Candidate.Runs);
    }
}
