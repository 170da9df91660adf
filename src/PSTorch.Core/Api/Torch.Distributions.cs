namespace PSTorch;

public static partial class Torch
{
    /// <summary>torch.multinomial(input, num_samples, replacement): int64 category indices, one row of samples per row of weights.</summary>
    public static Tensor Multinomial(Tensor input, long numSamples, bool replacement = false, Generator? generator = null) =>
        input.Multinomial(numSamples, replacement, generator);

    /// <summary>torch.poisson(rates): a Poisson draw for every rate, in the rates' dtype.</summary>
    public static Tensor Poisson(Tensor rates, Generator? generator = null) => Ops.RandomDistributions.Poisson(rates, generator);
}
