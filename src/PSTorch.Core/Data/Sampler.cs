using System.Collections;

namespace PSTorch.Data;

/// <summary>torch.utils.data.Sampler: an order of dataset indices. Each enumeration is a new pass (an epoch).</summary>
public abstract class Sampler : IEnumerable<int>
{
    /// <summary>Number of indices one pass yields.</summary>
    public abstract int Count { get; }

    public abstract IEnumerator<int> GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{GetType().Name}({Count})";

    internal static void CheckNumSamples(int numSamples)
    {
        if (numSamples <= 0) throw new ArgumentException($"num_samples should be a positive integer value, but got num_samples={numSamples}");
    }
}

/// <summary>torch.utils.data.SequentialSampler: 0, 1, ..., n-1.</summary>
public sealed class SequentialSampler : Sampler
{
    readonly int count;

    public SequentialSampler(int count) => this.count = count;
    public SequentialSampler(Dataset dataset) : this(dataset.Count) { }

    public override int Count => count;

    public override IEnumerator<int> GetEnumerator()
    {
        for (int i = 0; i < count; i++) yield return i;
    }
}
