using PSTorch.Ops;

namespace PSTorch;

/// <summary>In-place fills from transformed distributions: exponential_, geometric_, cauchy_, log_normal_, random_().</summary>
public partial class Tensor
{
    /// <summary>exponential_(lambd): draws with density lambd * exp(-lambd * x).</summary>
    public Tensor Exponential_(double lambd = 1, Generator? generator = null) => RandomDistributions.Exponential(this, lambd, generator);

    /// <summary>geometric_(p): the number of trials up to the first success (1, 2, ...); integer tensors too.</summary>
    public Tensor Geometric_(double p, Generator? generator = null) => RandomDistributions.Geometric(this, p, generator);

    /// <summary>cauchy_(median, sigma).</summary>
    public Tensor Cauchy_(double median = 0, double sigma = 1, Generator? generator = null) => RandomDistributions.Cauchy(this, median, sigma, generator);

    /// <summary>log_normal_(mean, std): exp of a normal with that mean and std.</summary>
    public Tensor LogNormal_(double mean = 1, double std = 2, Generator? generator = null) => RandomDistributions.LogNormal(this, mean, std, generator);

    /// <summary>random_(): integers over the dtype's range ([0, 2^mantissa] for floating dtypes).</summary>
    public Tensor Random_(Generator? generator = null) => RandomDistributions.FullRange(this, generator);

    /// <summary>multinomial(numSamples, replacement): category indices drawn with this 1-D or 2-D tensor's rows as weights.</summary>
    public Tensor Multinomial(long numSamples, bool replacement = false, Generator? generator = null) =>
        RandomDistributions.Multinomial(this, numSamples, replacement, generator);
}
