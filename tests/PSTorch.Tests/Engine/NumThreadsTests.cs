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

    [Fact]
    public void SetNumThreadsIsReadBackAndCapsParallelLoops()
    {
        WithThreads(1, () =>
        {
            Assert.Equal(1, Torch.GetNumThreads());
            Assert.Equal(1, CpuThreads.ParallelOptions.MaxDegreeOfParallelism);
        });
        WithThreads(3, () => Assert.Equal(3, CpuThreads.ParallelOptions.MaxDegreeOfParallelism));
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
