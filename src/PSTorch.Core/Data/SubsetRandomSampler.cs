namespace PSTorch.Data;

/// <summary>torch.utils.data.SubsetRandomSampler: the given indices in a random order each pass.</summary>
public sealed class SubsetRandomSampler : Sampler
{
    public SubsetRandomSampler(IEnumerable<int> indices, Generator? generator = null)
    {
        Indices = indices.ToArray();
        Generator = generator;
    }

    public IReadOnlyList<int> Indices { get; }
    public Generator? Generator { get; set; }

    public override int Count => Indices.Count;

    public override IEnumerator<int> GetEnumerator()
    {
        foreach (var i in Torch.Randperm(Indices.Count, generator: Generator).ToArray<long>())
            yield return Indices[(int)i];
    }
}
