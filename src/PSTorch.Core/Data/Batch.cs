namespace PSTorch.Data;

/// <summary>
/// One collated batch from a <see cref="DataLoader"/>. For labelled samples (<c>object[] { input, target }</c>)
/// <see cref="Inputs"/> and <see cref="Targets"/> are the stacked inputs and targets; <see cref="Data"/> is always the
/// full collate result.
/// </summary>
public sealed class Batch
{
    internal Batch(int number, object data, int[] indices, int skipped)
    {
        Number = number;
        Data = data;
        Indices = indices;
        Skipped = skipped;
    }

    /// <summary>Position of this batch in the epoch, from 0.</summary>
    public int Number { get; }

    /// <summary>What the collate function returned.</summary>
    public object Data { get; }

    /// <summary>Dataset indices of the samples in this batch (after skips and substitutions).</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>Samples of this batch left out by <see cref="BadSamplePolicy.Skip"/>.</summary>
    public int Skipped { get; }

    public int Size => Indices.Count;

    public object Inputs => Data is object[] { Length: >= 1 } parts ? parts[0] : Data;

    public object? Targets => Data is object[] { Length: >= 2 } parts ? parts[1] : null;

    public object this[int i] => Data is object[] parts ? parts[i] : throw new IndexOutOfRangeException("this batch is not a list");

    public override string ToString() => $"Batch {Number} ({Size} samples)";
}
