namespace PSTorch.Data;

/// <summary>
/// A map-style dataset (torch.utils.data.Dataset): <see cref="Count"/> samples reachable by index.
/// A sample is any object the collate function understands: a tensor, a number, or an object[] / dictionary of them
/// (labelled datasets return <c>object[] { input, label }</c>).
/// </summary>
public abstract class Dataset
{
    /// <summary>Number of samples (Python's len(dataset)).</summary>
    public abstract int Count { get; }

    /// <summary>The sample at <paramref name="index"/> (Python's dataset[index]).</summary>
    public abstract object GetItem(int index);

    public object this[int index] => GetItem(CheckIndex(index));

    /// <summary>Where the sample comes from (a file path) for error messages, or null when it has no source.</summary>
    public virtual string? SourceOf(int index) => null;

    /// <summary>Class names when the dataset has labelled classes (index = label).</summary>
    public virtual IReadOnlyList<string>? Classes => null;

    /// <summary>
    /// False when samples must be produced on the thread that enumerates the loader (PowerShell script blocks);
    /// the loader then ignores num_workers for this dataset.
    /// </summary>
    public virtual bool SupportsWorkerThreads => true;

    /// <summary>
    /// Whether every <see cref="GetItem"/> call builds its tensors anew (decoded, transformed), so nothing else holds
    /// them: the loader then releases a batch's sample tensors as soon as the default collate has copied them, instead
    /// of leaving them for the garbage collector (as PyTorch frees them when their last reference goes).
    /// </summary>
    internal virtual bool SamplesAreNew => false;

    /// <summary>A short description used by format views and messages.</summary>
    public virtual string Describe() => $"{GetType().Name}({Count} samples)";

    public override string ToString() => Describe();

    /// <summary>Index check with Python's negative indexing.</summary>
    protected int CheckIndex(int index)
    {
        int n = Count;
        if (index < -n || index >= n) throw new IndexOutOfRangeException($"index {index} is out of range for a dataset of {n} samples");
        return index < 0 ? index + n : index;
    }

    /// <summary>torch.utils.data.random_split by lengths (summing to Count) or by fractions (summing to 1).</summary>
    public static Subset[] RandomSplit(Dataset dataset, double[] lengths, Generator? generator = null)
    {
        int n = dataset.Count;
        long[] sizes;
        if (Math.Abs(lengths.Sum() - 1) < 1e-9 && lengths.Sum() <= 1 && lengths.Any(l => l < 1 || l != Math.Floor(l)))
        {
            for (int i = 0; i < lengths.Length; i++)
                if (lengths[i] < 0 || lengths[i] > 1) throw new ArgumentException($"Fraction at index {i} is not between 0 and 1");
            sizes = lengths.Select(f => (long)Math.Floor(n * f)).ToArray();
            long remainder = n - sizes.Sum();
            for (long i = 0; i < remainder; i++) sizes[i % sizes.Length]++;
        }
        else
        {
            if (lengths.Any(l => l != Math.Floor(l) || l < 0)) throw new ArgumentException("lengths must be non-negative whole numbers, or fractions summing to 1");
            sizes = lengths.Select(l => (long)l).ToArray();
        }
        if (sizes.Sum() != n) throw new ArgumentException("Sum of input lengths does not equal the length of the input dataset!");
        var order = Torch.Randperm(n, generator: generator).ToArray<long>();
        var result = new Subset[sizes.Length];
        long offset = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            result[i] = new Subset(dataset, order.Skip((int)offset).Take((int)sizes[i]).Select(v => (int)v).ToArray());
            offset += sizes[i];
        }
        return result;
    }

    public static Subset[] RandomSplit(Dataset dataset, long[] lengths, Generator? generator = null) =>
        RandomSplit(dataset, lengths.Select(l => (double)l).ToArray(), generator);
}

/// <summary>An iterable-style dataset (torch.utils.data.IterableDataset): a stream of samples without indices.</summary>
public abstract class IterableDataset
{
    public abstract IEnumerable<object> GetSamples();

    public virtual bool SupportsWorkerThreads => true;

    public override string ToString() => $"{GetType().Name}()";
}

/// <summary>
/// A dataset that can build a whole collated batch at once (PyTorch's __getitems__), used by the loader when
/// the default collate applies: in-memory datasets gather rows instead of stacking per-sample tensors.
/// </summary>
public interface IBatchedDataset
{
    /// <summary>False when this instance cannot batch (a transform must see each sample, or its source cannot batch).</summary>
    bool CanGetBatch { get; }

    object GetBatch(IReadOnlyList<int> indices);
}
