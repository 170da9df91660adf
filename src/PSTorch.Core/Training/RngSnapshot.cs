using PSTorch.Data;

namespace PSTorch.Training;

/// <summary>
/// The states of every generator a training run draws from: the default generator (dropout, initialisation, loaders
/// without a generator) and the loaders' own generators (shuffle order, per-epoch base seeds), in a fixed order.
/// </summary>
internal sealed record RngSnapshot(byte[] Global, byte[][] Loaders)
{
    public static RngSnapshot Capture(IReadOnlyList<Generator> loaderGenerators) =>
        new(Torch.DefaultGenerator.GetState(), loaderGenerators.Select(g => g.GetState()).ToArray());

    public void Apply(IReadOnlyList<Generator> loaderGenerators)
    {
        if (Loaders.Length != loaderGenerators.Count)
            throw new InvalidOperationException($"the checkpoint holds {Loaders.Length} loader generator states, the loaders now have {loaderGenerators.Count}: resume with loaders built the same way");
        Torch.DefaultGenerator.SetState(Global);
        for (int i = 0; i < Loaders.Length; i++) loaderGenerators[i].SetState(Loaders[i]);
    }

    /// <summary>The distinct generators of the loaders (loader and sampler), the default generator left out.</summary>
    public static IReadOnlyList<Generator> GeneratorsOf(params DataLoader?[] loaders)
    {
        var result = new List<Generator>();
        foreach (var loader in loaders)
        {
            if (loader is null) continue;
            foreach (var g in new[] { loader.Generator, (loader.Sampler as RandomSampler)?.Generator })
                if (g is not null && !ReferenceEquals(g, Torch.DefaultGenerator) && !result.Contains(g)) result.Add(g);
        }
        return result;
    }
}
