using Timer = PSTorch.Benchmark.Timer;

namespace PSTorch.Tests.Cuda;

/// <summary>Measure-Op's timer on a GPU: CUDA events around the calls count the device work they queue.</summary>
[Trait("Category", "Cuda")]
public sealed class CudaTimingTests
{
    [Fact]
    public void EventTimingCountsQueuedKernelsAndGrowsWithTheWork()
    {
        DeviceBuffer.RequireDevice();
        var cuda = Device.Parse("cuda:0");
        using var a = Torch.Randn([2048, 2048]).To(cuda);
        // 10 GEMMs queue in microseconds but run for milliseconds: only a clock that waits for the device sees them
        var small = new Timer(() => a.MatMul(a).Dispose(), device: cuda).BlockedAutorange(TimeSpan.FromMilliseconds(50), minRuns: 3);
        var large = new Timer(() => { for (int i = 0; i < 8; i++) a.MatMul(a).Dispose(); }, device: cuda).BlockedAutorange(TimeSpan.FromMilliseconds(50), minRuns: 3);
        Assert.Equal(cuda, small.Device);
        // 2 * 2048^3 flops take at least 20 us on any GPU this runs on (under 1 PFLOP/s)
        Assert.True(small.Median > 20e-6, $"median {small.Median * 1e6:F1} us");
        Assert.InRange(large.Median / small.Median, 4.0, 16.0);
    }
}
