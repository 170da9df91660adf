namespace PSTorch.Data;

/// <summary>torch.utils.data.Subset: the samples of a dataset at the given indices.</summary>
public sealed class Subset : Dataset, IBatchedDataset
{
    public Subset(Dataset dataset, IEnumerable<int> indices)
    {
        Dataset = dataset;
        Indices = indices.ToArray();
        foreach (var i in Indices)
            if (i < -dataset.Count || i >= dataset.Count) throw new IndexOutOfRangeException($"Subset index {i} is out of range for a dataset of {dataset.Count} samples");
    }

    public Dataset Dataset { get; }
    public IReadOnlyList<int> Indices { get; }

    public override int Count => Indices.Count;
    public override object GetItem(int index) => Dataset.GetItem(Indices[CheckIndex(index)]);
    public override string? SourceOf(int index) => Dataset.SourceOf(Indices[CheckIndex(index)]);
    public override IReadOnlyList<string>? Classes => Dataset.Classes;
    public override bool SupportsWorkerThreads => Dataset.SupportsWorkerThreads;

    public bool CanGetBatch => Dataset is IBatchedDataset { CanGetBatch: true };

    public object GetBatch(IReadOnlyList<int> indices) =>
        ((IBatchedDataset)Dataset).GetBatch(indices.Select(i => Indices[i]).ToArray());
}
