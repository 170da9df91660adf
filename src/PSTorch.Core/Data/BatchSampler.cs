using System.Collections;

namespace PSTorch.Data;

/// <summary>torch.utils.data.BatchSampler: groups another sampler's indices into lists of <c>batchSize</c>.</summary>
public sealed class BatchSampler : IEnumerable<int[]>
{
    public BatchSampler(IEnumerable<int> sampler, int batchSize, bool dropLast)
    {
        if (batchSize <= 0) throw new ArgumentException($"batch_size should be a positive integer value, but got batch_size={batchSize}");
        Sampler = sampler;
        BatchSize = batchSize;
        DropLast = dropLast;
    }

    public IEnumerable<int> Sampler { get; }
    public int BatchSize { get; }
    public bool DropLast { get; }

    /// <summary>Number of batches per pass.</summary>
    public int Count
    {
        get
        {
            int n = Sampler is Sampler s ? s.Count : Sampler.Count();
            return DropLast ? n / BatchSize : (n + BatchSize - 1) / BatchSize;
        }
    }

    public IEnumerator<int[]> GetEnumerator()
    {
        var batch = new List<int>(BatchSize);
        foreach (var i in Sampler)
        {
            batch.Add(i);
            if (batch.Count == BatchSize)
            {
                yield return batch.ToArray();
                batch.Clear();
            }
        }
        if (batch.Count > 0 && !DropLast) yield return batch.ToArray();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
