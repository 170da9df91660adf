using PSTorch;
using PSTorch.Backends.Cpu;
using Xunit;

namespace PSTorch.Tests.Engine;

// Torch.SetNumThreads is process-wide: classes that change it run one at a time.
[Collection("NumThreads")]
public class NumThreadsTests
{
    /// <summary>Runs <paramref name="body"/> with the CPU thread count set, restoring the previous count after.</summary>
    static void WithThreads(int threads, Action body)
    {
        int before = Torch.GetNumThreads();
        Torch.SetNumThreads(threads);
        try { body(); }
        finally { Torch.SetNumThreads(before); }
    }

    [Fact]
    public void DefaultIsTheProcessorCount()
    {
        Assert.Equal(Environment.ProcessorCount, Torch.GetNumThreads());
    }

    /// <summary>How many bodies of CpuThreads.For(workers) ran at once at most, each holding its slot a few milliseconds.</summary>
    static int PeakConcurrency(int workers)
    {
        int running = 0, peak = 0;
        CpuThreads.For(workers, _ =>
        {
            int now = Interlocked.Increment(ref running);
            for (int seen = Volatile.Read(ref peak); now > seen; seen = Volatile.Read(ref peak))
                Interlocked.CompareExchange(ref peak, now, seen);
            Thread.Sleep(20);
            Interlocked.Decrement(ref running);
        });
        return peak;
    }

    [Fact]
    public void SetNumThreadsIsReadBackAndCapsParallelLoops()
    {
        WithThreads(1, () =>
        {
            Assert.Equal(1, Torch.GetNumThreads());
            Assert.Equal(1, PeakConcurrency(4));
        });
        WithThreads(2, () => Assert.InRange(PeakConcurrency(6), 1, 2));
        WithThreads(3, () => Assert.InRange(PeakConcurrency(6), 1, 3));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void WorkSplitsDoNotSplitAgainAndEveryWorkerRunsOnce(int workers)
    {
        WithThreads(Math.Max(2, Environment.ProcessorCount), () =>
        {
            var ran = new int[workers];
            var inner = new int[workers];
            CpuThreads.For(workers, w =>
            {
                Interlocked.Increment(ref ran[w]);
                inner[w] = CpuThreads.Count;
            });
            Assert.All(ran, count => Assert.Equal(1, count));
            Assert.All(inner, count => Assert.Equal(1, count));
            Assert.True(CpuThreads.Count > 1, "the caller's own thread count is restored after the split");
        });
    }

    // One thread: the split runs on the thread pool; two: on the thread team.
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    [InlineData(2, 1)]
    public void AWorkersExceptionReachesTheCallerUnwrapped(int threads, int failing)
    {
        WithThreads(threads, () =>
        {
            var e = Assert.Throws<InvalidOperationException>(() => CpuThreads.For(2, w =>
            {
                if (w == failing) throw new InvalidOperationException($"worker {w} failed");
            }));
            Assert.Equal($"worker {failing} failed", e.Message);
            // the threads are free again afterwards
            var ran = new int[2];
            CpuThreads.For(2, w => ran[w]++);
            Assert.Equal([1, 1], ran);
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void NonPositiveCountIsRefused(int threads)
    {
        int before = Torch.GetNumThreads();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Torch.SetNumThreads(threads));
        Assert.Contains("Expected positive number of threads", e.Message);
        Assert.Equal(before, Torch.GetNumThreads());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LargeOpsGiveTheSameValuesOnAnyThreadCount(int threads)
    {
        // Integer-valued floats keep every partial sum exact, so any split of the work gives identical results.
        const int rows = 3, cols = 1 << 16;
        var a = new float[rows * cols];
        var b = new float[rows * cols];
        for (int i = 0; i < a.Length; i++) { a[i] = i % 7; b[i] = i % 5 - 2; }
        var m = new float[256 * 256];
        for (int i = 0; i < m.Length; i++) m[i] = i % 3 - 1;

        WithThreads(threads, () =>
        {
            var ta = Torch.FromArray(a, [rows, cols]);
            var tb = Torch.FromArray(b, [rows, cols]);
            var sum = (ta + tb).ToArray<float>();
            for (int i = 0; i < a.Length; i++) Assert.Equal(a[i] + b[i], sum[i]);
            // a long row, each row, and a strided (transposed) walk
            Assert.Equal(a.Sum(x => (double)x), ta.Flatten().Sum().Item<float>());
            var rowSums = ta.Sum(1).ToArray<float>();
            for (int r = 0; r < rows; r++) Assert.Equal(a.Skip(r * cols).Take(cols).Sum(x => (double)x), rowSums[r]);
            var tt = ta.T().Relu().ToArray<float>();
            Assert.Equal(a[1 * cols + 5], tt[5 * rows + 1]);

            var tm = Torch.FromArray(m, [256, 256]);
            var product = tm.MatMul(tm).ToArray<float>();
            for (int i = 0; i < 256; i += 51)
                for (int j = 0; j < 256; j += 37)
                {
                    double expected = 0;
                    for (int p = 0; p < 256; p++) expected += m[i * 256 + p] * m[p * 256 + j];
                    Assert.Equal(expected, product[i * 256 + j]);
                }
        });
    }
}
