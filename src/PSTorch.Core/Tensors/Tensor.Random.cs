using PSTorch.Ops;

namespace PSTorch;

/// <summary>In-place random fills (uniform_, normal_, random_, bernoulli_) and bernoulli sampling.</summary>
public partial class Tensor
{
    /// <summary>uniform_(from, to): values uniform in [from, to).</summary>
    public Tensor Uniform_(double from = 0, double to = 1, Generator? generator = null) => RandomFill.Uniform(this, from, to, generator);

    /// <summary>normal_(mean, std).</summary>
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null) => RandomFill.Normal(this, mean, std, generator);

    /// <summary>random_(from, to): integers uniform in [from, to).</summary>
    public Tensor Random_(long from, long to, Generator? generator = null) => RandomFill.Randint(this, from, to, generator);

    /// <summary>random_(to): integers uniform in [0, to).</summary>
    public Tensor Random_(long to, Generator? generator = null) => RandomFill.Randint(this, 0, to, generator);

    /// <summary>bernoulli_(p): 1 with probability p, else 0.</summary>
    public Tensor Bernoulli_(double p = 0.5, Generator? generator = null)
    {
        RandomFill.CheckProbability(p);
        return RandomFill.Bernoulli(this, Wrap(p), generator);
    }

    /// <summary>bernoulli_(p) with per-element probabilities (broadcast to this tensor's shape).</summary>
    public Tensor Bernoulli_(Tensor p, Generator? generator = null) => RandomFill.Bernoulli(this, p, generator);

    /// <summary>bernoulli(): a new tensor of 0s and 1s drawn with this tensor's elements as probabilities.</summary>
    public Tensor Bernoulli(Generator? generator = null) => RandomFill.Bernoulli(Torch.EmptyLike(this), this, generator);

    /// <summary>bernoulli(p): a new tensor like this one of 0s and 1s, 1 with probability p.</summary>
    public Tensor Bernoulli(double p, Generator? generator = null) => Torch.EmptyLike(this).Bernoulli_(p, generator);
}
