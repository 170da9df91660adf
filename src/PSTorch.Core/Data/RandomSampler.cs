namespace PSTorch.Data;

/// <summary>
/// torch.utils.data.RandomSampler: a random permutation per pass, or with <c>replacement</c> independent uniform draws.
/// Without replacement, <c>numSamples</c> larger than the dataset chains permutations (as PyTorch does).
/// </summary>
public sealed class RandomSampler : Sampler
{
    readonly int dataCount;
    readonly int? numSamples;

    public RandomSampler(int dataCount, bool replacement = false, int? numSamples = null, Generator? generator = null)
    {
        if (numSamples is { } n) CheckNumSamples(n);
        this.dataCount = dataCount;
        this.numSamples = numSamples;
        Replacement = replacement;
        Generator = generator;
    }

    public RandomSampler(Dataset dataset, bool replacement = false, int? numSamples = null, Generator? generator = null)
        : this(dataset.Count, replacement, numSamples, generator) { }

    public bool Replacement { get; }

    /// <summary>The generator draws come from; null uses the default generator.</summary>
    public Generator? Generator { get; set; }

    public override int Count => numSamples ?? dataCount;

    public override IEnumerator<int> GetEnumerator()
    {
        int total = Count;
        if (dataCount == 0) yield break;
        if (Replacement)
        {
            // Drawn in chunks of 32 as PyTorch does, so a pass that stops early consumes little randomness.
            for (int done = 0; done < total; done += 32)
                foreach (var i in Torch.Randint(0, dataCount, [Math.Min(32, total - done)], generator: Generator).ToArray<long>())
                    yield return (int)i;
            yield break;
        }
        for (int done = 0; done < total; done += dataCount)
        {
            var order = Torch.Randperm(dataCount, generator: Generator).ToArray<long>();
            for (int i = 0; i < Math.Min(dataCount, total - done); i++) yield return (int)order[i];
        }
    }
}
