namespace PSTorch;

public static partial class Torch
{
    /// <summary>torch.multinomial(input, num_samples, replacement): int64 category indices, one row of samples per row of weights.</summary>
    public static Tensor Multinomial(Tensor input, long numSamples, bool replacement = false, Generator? generator = null) =>
        input.Multinomial(numSamples, replacement, generator);
}
