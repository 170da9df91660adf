using System.Collections;

namespace PSTorch.Data;

/// <summary>
/// torch.utils.data.DataLoader. Enumerating it runs one epoch: the sampler's order, grouped into batches, loaded
/// (by <see cref="NumWorkers"/> worker threads with at most <see cref="PrefetchFactor"/> x workers batches in flight),
/// collated and returned in sampler order. Enumerating again runs the next epoch.
/// </summary>
public sealed class DataLoader : IEnumerable<Batch>
{
    const int SubstituteAttempts = 10;

    readonly Dataset? dataset;
    readonly IterableDataset? iterable;
    readonly Func<IReadOnlyList<object>, object>? collate;

    public DataLoader(Dataset dataset, int? batchSize = 1, bool shuffle = false, Sampler? sampler = null,
        IEnumerable<int[]>? batchSampler = null, int numWorkers = 0, Func<IReadOnlyList<object>, object>? collate = null,
        bool pinMemory = false, bool dropLast = false, int? prefetchFactor = null, long? seed = null, Generator? generator = null,
        BadSamplePolicy badSamples = BadSamplePolicy.Raise)
    {
        CheckWorkers(numWorkers, prefetchFactor);
        if (sampler is not null && shuffle) throw new ArgumentException("sampler option is mutually exclusive with shuffle");
        if (batchSampler is not null)
        {
            if (batchSize != 1 || shuffle || sampler is not null || dropLast)
                throw new ArgumentException("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
            batchSize = null;
        }
        else if (batchSize is null && dropLast)
            throw new ArgumentException("batch_size=None option disables auto-batching and is mutually exclusive with drop_last");
        else if (batchSize is <= 0)
            throw new ArgumentException($"batch_size should be a positive integer value, but got batch_size={batchSize}");

        this.dataset = dataset;
        this.collate = collate;
        Generator = generator ?? (seed is { } s ? new Generator(s) : null);
        Seed = seed;
        Sampler = sampler ?? (shuffle ? new RandomSampler(dataset, generator: Generator) : new SequentialSampler(dataset));
        BatchSampler = batchSampler ?? (batchSize is { } b ? new BatchSampler(Sampler, b, dropLast) : null);
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        NumWorkers = numWorkers;
        PrefetchFactor = prefetchFactor ?? 2;
        PinMemory = pinMemory;
        BadSamples = badSamples;
    }

    /// <summary>A loader over a stream: samples are grouped into batches in stream order.</summary>
    public DataLoader(IterableDataset dataset, int? batchSize = 1, int numWorkers = 0, Func<IReadOnlyList<object>, object>? collate = null,
        bool pinMemory = false, bool dropLast = false, int? prefetchFactor = null, long? seed = null, Generator? generator = null)
    {
        CheckWorkers(numWorkers, prefetchFactor);
        if (batchSize is null && dropLast)
            throw new ArgumentException("batch_size=None option disables auto-batching and is mutually exclusive with drop_last");
        if (batchSize is <= 0)
            throw new ArgumentException($"batch_size should be a positive integer value, but got batch_size={batchSize}");
        iterable = dataset;
        this.collate = collate;
        Generator = generator ?? (seed is { } s ? new Generator(s) : null);
        Seed = seed;
        BatchSize = batchSize;
        DropLast = dropLast;
        NumWorkers = numWorkers;
        PrefetchFactor = prefetchFactor ?? 2;
        PinMemory = pinMemory;
    }

    static void CheckWorkers(int numWorkers, int? prefetchFactor)
    {
        if (numWorkers < 0) throw new ArgumentException("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
        if (numWorkers == 0 && prefetchFactor is not null)
            throw new ArgumentException("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.");
        if (prefetchFactor is <= 0) throw new ArgumentException($"prefetch_factor should be a positive integer, but got {prefetchFactor}");
    }

    /// <summary>The map-style dataset, or null for a loader over an <see cref="IterableDataset"/>.</summary>
    public Dataset? Dataset => dataset;
    public IterableDataset? IterableDataset => iterable;
    public int? BatchSize { get; }
    public bool Shuffle { get; }
    public bool DropLast { get; }
    public int NumWorkers { get; }

    /// <summary>Batches each worker may have in flight; the loader holds at most PrefetchFactor x NumWorkers batches.</summary>
    public int PrefetchFactor { get; }

    /// <summary>
    /// pin_memory: every batch's tensors are copied into page-locked host memory (Tensor.PinMemory), which CUDA copies
    /// from faster, when a CUDA device is usable; without one it changes nothing, as PyTorch only warns then.
    /// </summary>
    public bool PinMemory { get; }

    public BadSamplePolicy BadSamples { get; }
    public Sampler? Sampler { get; }
    public IEnumerable<int[]>? BatchSampler { get; }

    /// <summary>The generator epochs draw their order and base seed from (null: the default generator).</summary>
    public Generator? Generator { get; }
    public long? Seed { get; }

    /// <summary>Workers actually used: 0 when the dataset must be read on the enumerating thread (PowerShell script blocks).</summary>
    public int EffectiveWorkers => (dataset?.SupportsWorkerThreads ?? iterable!.SupportsWorkerThreads) ? NumWorkers : 0;

    /// <summary>Most batches in flight at once during the last epoch (never more than PrefetchFactor x workers).</summary>
    public int PeakBatchesHeld { get; private set; }

    /// <summary>Samples left out by <see cref="BadSamplePolicy.Skip"/> in the last completed epoch.</summary>
    public int LastEpochSkipped { get; private set; }

    /// <summary>Samples replaced by <see cref="BadSamplePolicy.Substitute"/> in the last completed epoch.</summary>
    public int LastEpochSubstituted { get; private set; }

    /// <summary>Raised after each complete epoch with its statistics.</summary>
    public event EventHandler<EpochSummary>? EpochCompleted;

    /// <summary>Number of batches per epoch (len(loader)).</summary>
    public int Count
    {
        get
        {
            if (iterable is not null) throw new NotSupportedException("a DataLoader over an IterableDataset has no length");
            return BatchSampler switch
            {
                BatchSampler b => b.Count,
                null => Sampler!.Count,
                var other => other.Count(),
            };
        }
    }

    public IEnumerator<Batch> GetEnumerator() => (iterable is null ? RunEpoch(0) : RunStreamEpoch(0)).GetEnumerator();

    /// <summary>
    /// The rest of an epoch after its first <paramref name="skipBatches"/> batches: the same draws from the generator,
    /// the same order and per-batch randomness as a full epoch, without loading the skipped batches (a stream loader
    /// reads and drops their samples). With the generator restored to its state at the epoch's start, this resumes
    /// an interrupted epoch exactly.
    /// </summary>
    public IEnumerable<Batch> ResumeEpoch(int skipBatches)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skipBatches);
        return iterable is null ? RunEpoch(skipBatches) : RunStreamEpoch(skipBatches);
    }

    /// <summary>Whether every batch is built anew (default collate, auto-batching), so its consumer may release its tensors.</summary>
    internal bool BatchesAreNew => collate is null && BatchSize is not null;

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    long DrawBaseSeed() => Torch.Randint(0, long.MaxValue, [1], generator: Generator).ToArray<long>()[0];

    IEnumerable<Batch> RunEpoch(int skip)
    {
        long baseSeed = DrawBaseSeed();
        var counts = new EpochCounts();
        var jobs = BatchSampler ?? Sampler!.Select(i => new[] { i });
        foreach (var batch in Pipeline(jobs.Skip(skip), (number, indices) => BuildBatch(number + skip, indices, baseSeed, counts)))
            yield return batch;
        FinishEpoch(counts);
    }

    IEnumerable<Batch> RunStreamEpoch(int skip)
    {
        long baseSeed = DrawBaseSeed();
        var counts = new EpochCounts();
        int size = BatchSize ?? 1;
        // Reading the stream is sequential (jobs are claimed under the pipeline's lock); collating runs on the workers.
        IEnumerable<List<object>> Chunks()
        {
            var chunk = new List<object>(size);
            using (SampleRandom.Use(new Generator(baseSeed)))
                foreach (var sample in iterable!.GetSamples())
                {
                    chunk.Add(sample);
                    if (chunk.Count == size)
                    {
                        yield return chunk;
                        chunk = new List<object>(size);
                    }
                }
            if (chunk.Count > 0 && !DropLast) yield return chunk;
        }
        foreach (var batch in Pipeline(Chunks().Skip(skip), (number, samples) =>
                     new Batch(number + skip, BatchSize is null ? samples[0] : (collate ?? Collate.Default)(samples), new int[samples.Count], 0)))
            yield return batch;
        FinishEpoch(counts);
    }

    IEnumerable<Batch> Pipeline<TJob>(IEnumerable<TJob> jobs, Func<int, TJob, Batch?> build)
    {
        if (PinMemory && CudaRuntime.IsAvailable)
        {
            var unpinned = build;
            build = (number, job) => Pinned(unpinned(number, job));
        }
        int workers = EffectiveWorkers;
        if (workers == 0)
        {
            int number = 0;
            foreach (var job in jobs)
                if (build(number++, job) is { } batch) yield return batch;
            PeakBatchesHeld = 1;
            yield break;
        }
        using var pipeline = new PrefetchPipeline<TJob>(jobs.GetEnumerator(), build, workers, PrefetchFactor * workers);
        while (pipeline.TryTake(out var batch))
        {
            PeakBatchesHeld = pipeline.PeakHeld;
            if (batch is not null) yield return batch;
        }
        PeakBatchesHeld = pipeline.PeakHeld;
    }

    /// <summary>The batch with its tensors in pinned memory; the unpinned ones are released when the loader made them.</summary>
    Batch? Pinned(Batch? batch)
    {
        if (batch is null) return null;
        var data = Collate.PinMemory(batch.Data);
        if (BatchesAreNew) Collate.ReleaseTensors([batch.Data]);
        return new Batch(batch.Number, data, [.. batch.Indices], batch.Skipped);
    }

    Batch? BuildBatch(int number, int[] indices, long baseSeed, EpochCounts counts)
    {
        var ds = dataset!;
        if (collate is null && BatchSampler is not null && ds is IBatchedDataset { CanGetBatch: true } batched)
            return new Batch(number, batched.GetBatch(indices), indices, 0);

        long batchSeed = SampleRandom.DeriveSeed(baseSeed, number);
        var samples = new List<object>(indices.Length);
        var used = new List<int>(indices.Length);
        int skipped = 0;
        for (int j = 0; j < indices.Length; j++)
        {
            using var scope = SampleRandom.Use(new Generator(SampleRandom.DeriveSeed(batchSeed, j)));
            int index = indices[j];
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    samples.Add(ds.GetItem(index));
                    used.Add(index);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    var failure = e as SampleLoadException ?? new SampleLoadException(index, ds.SourceOf(index), e);
                    if (BadSamples == BadSamplePolicy.Raise || (BadSamples == BadSamplePolicy.Substitute && attempt >= SubstituteAttempts))
                        throw failure;
                    if (BadSamples == BadSamplePolicy.Skip)
                    {
                        skipped++;
                        Interlocked.Increment(ref counts.Skipped);
                        break;
                    }
                    Interlocked.Increment(ref counts.Substituted);
                    index = SampleRandom.Integer(0, ds.Count);
                }
            }
        }
        if (samples.Count == 0) return null;
        var data = BatchSampler is null ? samples[0] : (collate ?? Collate.Default)(samples);
        if (BatchSampler is not null && collate is null && ds.SamplesAreNew) Collate.ReleaseTensors(samples);
        return new Batch(number, data, used.ToArray(), skipped);
    }

    void FinishEpoch(EpochCounts counts)
    {
        LastEpochSkipped = counts.Skipped;
        LastEpochSubstituted = counts.Substituted;
        EpochCompleted?.Invoke(this, new EpochSummary(counts.Skipped, counts.Substituted));
    }

    public override string ToString() =>
        $"DataLoader(batch_size={BatchSize?.ToString() ?? "None"}, batches={(iterable is null ? Count.ToString() : "?")}, num_workers={NumWorkers})";

    sealed class EpochCounts
    {
        public int Skipped;
        public int Substituted;
    }
}

/// <summary>What happened to bad samples during one epoch.</summary>
public sealed record EpochSummary(int Skipped, int Substituted);
