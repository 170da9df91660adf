using PSTorch.Data;
using Xunit;

namespace PSTorch.Tests.Data;

public sealed class DataLoaderTests
{
    static TensorDataset Numbers(int n) => new(Torch.FromArray(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), [n, 1]), Torch.FromArray(Enumerable.Range(0, n).Select(i => (long)i).ToArray()));

    /// <summary>A dataset of numbers that does per-sample work, so workers run concurrently.</summary>
    static DelegateDataset Slow(int n, Func<int, object>? item = null) => new(n, i =>
    {
        Thread.SpinWait(2000);
        return item?.Invoke(i) ?? new object[] { Torch.FromArray(new[] { (float)i }), (long)i };
    });

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WorkersReturnBatchesInSamplerOrder(int workers)
    {
        var loader = new DataLoader(Slow(103), batchSize: 4, shuffle: true, numWorkers: workers, seed: 11);
        var reference = new DataLoader(Slow(103), batchSize: 4, shuffle: true, seed: 11).SelectMany(b => b.Indices).ToArray();
        var batches = loader.ToList();
        Assert.Equal(26, batches.Count);
        Assert.Equal(Enumerable.Range(0, 26), batches.Select(b => b.Number));
        Assert.Equal(reference, batches.SelectMany(b => b.Indices));
        foreach (var b in batches) Assert.Equal(b.Indices.Select(i => (long)i), ((Tensor)b.Targets!).ToArray<long>());
    }

    [Fact]
    public void LoaderNeverHoldsMoreThanPrefetchBound()
    {
        var loader = new DataLoader(Slow(200), batchSize: 2, numWorkers: 2, prefetchFactor: 3);
        foreach (var _ in loader) Thread.Sleep(1);
        Assert.InRange(loader.PeakBatchesHeld, 1, 6);
        Assert.Equal(6, loader.PeakBatchesHeld);
    }

    [Fact]
    public void SeedMakesEpochsReproducibleAndEpochsDiffer()
    {
        int[][] Epochs(long seed)
        {
            var loader = new DataLoader(Numbers(50), batchSize: 5, shuffle: true, seed: seed);
            return [loader.SelectMany(b => b.Indices).ToArray(), loader.SelectMany(b => b.Indices).ToArray()];
        }
        var a = Epochs(3);
        var b = Epochs(3);
        Assert.Equal(a[0], b[0]);
        Assert.Equal(a[1], b[1]);
        Assert.NotEqual(a[0], a[1]);
    }

    [Fact]
    public void RandomTransformsAreReproducibleWhateverTheWorkerCount()
    {
        var ds = Slow(40, _ => new object[] { Torch.FromArray(new[] { SampleRandom.Uniform() }), 0L });
        double[] Values(int workers) => new DataLoader(ds, batchSize: 3, shuffle: true, seed: 9, numWorkers: workers)
            .SelectMany(b => ((Tensor)b.Inputs).ToArray<double>()).ToArray();
        var serial = Values(0);
        Assert.Equal(serial, Values(2));
        Assert.Equal(serial, Values(3));
        Assert.Equal(40, serial.Distinct().Count());
    }

    [Fact]
    public void CrashingDatasetIsReportedNotHung()
    {
        var ds = Slow(64, i => i == 37 ? throw new InvalidOperationException("boom") : new object[] { Torch.FromArray(new[] { (float)i }), (long)i });
        var loader = new DataLoader(ds, batchSize: 4, numWorkers: 2);
        int seen = 0;
        var e = Assert.Throws<SampleLoadException>(() => { foreach (var _ in loader) seen++; });
        Assert.Equal(37, e.Index);
        Assert.Equal(9, seen);
        Assert.IsType<InvalidOperationException>(e.InnerException);
        // The loader is still usable after a failed epoch.
        Assert.Throws<SampleLoadException>(() => loader.ToList());
    }

    static IEnumerable<int[]> FailingBatches()
    {
        yield return [0, 1];
        throw new InvalidOperationException("sampler broke");
    }

    [Fact]
    public void CrashingSamplerIsReportedAfterEarlierBatches()
    {
        var loader = new DataLoader(Numbers(10), batchSampler: FailingBatches(), numWorkers: 2);
        int seen = 0;
        var e = Assert.Throws<InvalidOperationException>(() => { foreach (var _ in loader) seen++; });
        Assert.Equal("sampler broke", e.Message);
        Assert.Equal(1, seen);
    }

    [Fact]
    public void OutOfRangeIndexFromSamplerNamesTheIndex()
    {
        var loader = new DataLoader(Slow(10), batchSampler: new[] { new[] { 0, 1 }, new[] { 99 } }, numWorkers: 2);
        var e = Assert.Throws<SampleLoadException>(() => loader.ToList());
        Assert.Equal("Failed to load sample 99: index 99 is out of range for a dataset of 10 samples", e.Message);
    }

    [Fact]
    public void BreakingOutOfAnEpochStopsWorkers()
    {
        var loader = new DataLoader(Slow(1000), batchSize: 2, numWorkers: 2);
        Assert.Equal(3, loader.Take(3).Count());
        Assert.Equal(500, loader.Count());
    }

    [Fact]
    public void CountDropLastAndBatchSampler()
    {
        Assert.Equal(4, new DataLoader(Numbers(10), batchSize: 3).Count);
        Assert.Equal(3, new DataLoader(Numbers(10), batchSize: 3, dropLast: true).Count);
        Assert.Equal([3, 3, 3], new DataLoader(Numbers(10), batchSize: 3, dropLast: true).Select(b => b.Size));
        var custom = new DataLoader(Numbers(10), batchSampler: new BatchSampler(new SequentialSampler(10), 4, false));
        Assert.Equal(3, custom.Count);
        Assert.Equal([4L, 1], ((Tensor)custom.First().Inputs).Shape);
        var unbatched = new DataLoader(Numbers(3), batchSize: null);
        Assert.Equal([1L], ((Tensor)unbatched.First().Inputs).Shape);
    }

    [Fact]
    public void MutuallyExclusiveOptionsRaisePyTorchsErrors()
    {
        var ds = Numbers(10);
        Assert.Equal("sampler option is mutually exclusive with shuffle",
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, shuffle: true, sampler: new SequentialSampler(ds))).Message);
        Assert.Equal("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last",
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, batchSize: 4, batchSampler: new BatchSampler(new SequentialSampler(ds), 2, false))).Message);
        Assert.Equal("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last",
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, dropLast: true, batchSampler: new BatchSampler(new SequentialSampler(ds), 2, false))).Message);
        Assert.Equal("batch_size=None option disables auto-batching and is mutually exclusive with drop_last",
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, batchSize: null, dropLast: true)).Message);
        Assert.Equal("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.",
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, numWorkers: -1)).Message);
        Assert.StartsWith("prefetch_factor option could only be specified in multiprocessing",
            Assert.Throws<ArgumentException>(() => new DataLoader(ds, prefetchFactor: 2)).Message);
        Assert.Equal("batch_size should be a positive integer value, but got batch_size=0",
            Assert.Throws<ArgumentException>(() => new BatchSampler(new SequentialSampler(ds), 0, false)).Message);
    }

    [Fact]
    public void CustomCollateAndPinMemoryAccepted()
    {
        var loader = new DataLoader(Numbers(6), batchSize: 3, pinMemory: true, collate: samples => samples.Count);
        Assert.True(loader.PinMemory);
        Assert.Equal([3, 3], loader.Select(b => (int)b.Data));
        Assert.Null(loader.First().Targets);
    }

    sealed class Countdown(int n) : IterableDataset
    {
        public override IEnumerable<object> GetSamples()
        {
            for (int i = n - 1; i >= 0; i--) yield return new object[] { Torch.FromArray(new[] { (float)i }), (long)i };
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void IterableDatasetStreamsInOrder(int workers)
    {
        var loader = new DataLoader(new Countdown(7), batchSize: 3, numWorkers: workers);
        Assert.Equal([6L, 5, 4, 3, 2, 1, 0], loader.SelectMany(b => ((Tensor)b.Targets!).ToArray<long>()));
        Assert.Throws<NotSupportedException>(() => loader.Count);
        Assert.Equal([3, 3], new DataLoader(new Countdown(7), batchSize: 3, dropLast: true).Select(b => b.Size));
    }
}
