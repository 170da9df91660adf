using PSTorch.Data;
using PSTorch.Training;

namespace PSTorch.Tests.Training;

/// <summary>The training loop's one-batch-ahead loading (on the CPU, where batches pass through unchanged).</summary>
public sealed class BatchPrefetcherTests
{
    /// <summary>Batches of inputs [k] and targets [k], counting how far the loader has been read.</summary>
    sealed class CountingBatches(int count) : IEnumerable<Batch>
    {
        public int Loaded { get; private set; }
        public List<Batch> Made { get; } = [];

        public IEnumerator<Batch> GetEnumerator()
        {
            for (int k = 0; k < count; k++)
            {
                Loaded++;
                var batch = new Batch(k, new object[] { Torch.Full([2], k), Torch.Full([2], k, DType.Int64) }, [k], 0);
                Made.Add(batch);
                yield return batch;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void GivesTheBatchesInOrderWhileTheNextOneIsAlreadyLoaded()
    {
        var source = new CountingBatches(3);
        using var prefetcher = new BatchPrefetcher(source.GetEnumerator(), Device.Cpu, ownsLoaded: false);
        Assert.True(prefetcher.Start());
        Assert.Equal(1, source.Loaded);   // the epoch's first draws are done; a resume sets the generators here
        for (int k = 0; k < 3; k++)
        {
            Assert.True(prefetcher.TryTake(out var batch));
            using (batch)
            {
                Assert.Equal(Math.Min(k + 2, 3), source.Loaded);
                Assert.Equal([k, k], batch.Input.ToArray<float>());
                Assert.Equal([(long)k, k], batch.Target!.ToArray<long>());
            }
        }
        Assert.False(prefetcher.TryTake(out _));
        Assert.False(prefetcher.TryTake(out _));
        Assert.Equal(3, source.Loaded);
    }

    [Fact]
    public void ReleasesTheLoadersOwnTensorsOnceATakenBatchIsDoneAndTheLookAheadOnDispose()
    {
        var source = new CountingBatches(3);
        var prefetcher = new BatchPrefetcher(source.GetEnumerator(), Device.Cpu, ownsLoaded: true);
        Assert.True(prefetcher.TryTake(out var first));
        var firstInput = (Tensor)source.Made[0].Inputs;
        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => firstInput.ToArray<float>());
        var lookAhead = (Tensor)source.Made[1].Targets!;
        Assert.Equal([1L, 1], lookAhead.ToArray<long>());
        prefetcher.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lookAhead.ToArray<long>());
        Assert.Equal(2, source.Loaded);
    }

    [Fact]
    public void ABatchWithoutTensorInputsIsRefusedWithTheReason()
    {
        var batches = new[] { new Batch(0, new object[] { "not a tensor", Torch.Zeros([1]) }, [0], 0) };
        using var prefetcher = new BatchPrefetcher(((IEnumerable<Batch>)batches).GetEnumerator(), Device.Cpu, ownsLoaded: false);
        var e = Assert.Throws<ArgumentException>(() => prefetcher.Start());
        Assert.Contains("a training batch's input must be a tensor, got String", e.Message);
    }
}
