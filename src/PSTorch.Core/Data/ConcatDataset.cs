namespace PSTorch.Data;

/// <summary>torch.utils.data.ConcatDataset: the datasets one after another.</summary>
public sealed class ConcatDataset : Dataset
{
    readonly Dataset[] datasets;
    readonly int[] cumulativeSizes;

    /// <summary>Joins the datasets; their first samples must have the same structure (see <see cref="SampleStructure"/>).</summary>
    public ConcatDataset(IEnumerable<Dataset> datasets)
    {
        this.datasets = datasets.ToArray();
        if (this.datasets.Length == 0) throw new ArgumentException("datasets should not be an empty iterable");
        cumulativeSizes = new int[this.datasets.Length];
        int total = 0;
        string? structure = null;
        for (int i = 0; i < this.datasets.Length; i++)
        {
            var d = this.datasets[i];
            total += d.Count;
            cumulativeSizes[i] = total;
            if (d.Count == 0) continue;
            var s = SampleStructure.Describe(d.GetItem(0));
            if (structure is null) structure = s;
            else if (s != structure)
                throw new ArgumentException($"ConcatDataset: samples of dataset {i} ({d.Describe()}) have structure {s}, but earlier datasets give {structure}; all datasets must give samples of the same structure");
        }
    }

    public ConcatDataset(params Dataset[] datasets) : this((IEnumerable<Dataset>)datasets) { }

    public IReadOnlyList<Dataset> Datasets => datasets;
    public IReadOnlyList<int> CumulativeSizes => cumulativeSizes;

    public override int Count => cumulativeSizes[^1];

    (Dataset dataset, int index) Locate(int index)
    {
        index = CheckIndex(index);
        int d = Array.BinarySearch(cumulativeSizes, index);
        d = d >= 0 ? d + 1 : ~d;
        while (datasets[d].Count == 0) d++;
        return (datasets[d], d == 0 ? index : index - cumulativeSizes[d - 1]);
    }

    public override object GetItem(int index)
    {
        var (d, i) = Locate(index);
        return d.GetItem(i);
    }

    public override string? SourceOf(int index)
    {
        var (d, i) = Locate(index);
        return d.SourceOf(i);
    }

    public override IReadOnlyList<string>? Classes => datasets[0].Classes;
    public override bool SupportsWorkerThreads => datasets.All(d => d.SupportsWorkerThreads);
    internal override bool SamplesAreNew => datasets.All(d => d.SamplesAreNew);
}
