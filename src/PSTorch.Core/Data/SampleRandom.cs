namespace PSTorch.Data;

/// <summary>
/// The generator random transforms draw from while a sample is being loaded. The loader gives every sample its own
/// generator, seeded from the epoch's base seed and the sample's position in the epoch, so an epoch is reproducible
/// whatever the number of worker threads. Outside a loader, draws come from the default generator.
/// </summary>
public static class SampleRandom
{
    [ThreadStatic] static Generator? current;

    /// <summary>The generator for the sample being loaded on this thread.</summary>
    public static Generator Current => current ?? Torch.DefaultGenerator;

    /// <summary>Makes <paramref name="generator"/> current on this thread until the scope is disposed.</summary>
    public static Scope Use(Generator generator)
    {
        var previous = current;
        current = generator;
        return new Scope(previous);
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public static double Uniform() => Torch.Rand([1], DType.Float64, generator: Current).ToArray<double>()[0];

    /// <summary>A uniform double in [low, high).</summary>
    public static double Uniform(double low, double high) => low + (high - low) * Uniform();

    /// <summary>A uniform integer in [low, high).</summary>
    public static int Integer(int low, int high) => (int)Torch.Randint(low, high, [1], generator: Current).ToArray<long>()[0];

    /// <summary>A 64-bit seed derived from a base seed and a position (SplitMix64 finaliser: nearby positions give unrelated seeds).</summary>
    public static long DeriveSeed(long baseSeed, long position)
    {
        ulong z = (ulong)baseSeed + 0x9E3779B97F4A7C15UL * (ulong)(position + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)((z ^ (z >> 31)) & long.MaxValue);
    }

    public readonly struct Scope : IDisposable
    {
        readonly Generator? previous;
        internal Scope(Generator? previous) => this.previous = previous;
        public void Dispose() => current = previous;
    }
}
