using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// The distributions PyTorch draws by transforming uniform or normal draws (exponential_, geometric_, cauchy_,
/// log_normal_, random_() over a dtype's whole range), torch.multinomial and torch.poisson. Every transform is a composition of
/// device ops on float64 draws, so it runs wherever the tensor lives and is reproducible through the Generator.
/// </summary>
internal static class RandomDistributions
{
    /// <summary>Float64 draws uniform in (0, 1] (1 - u for u in [0, 1)), so logarithms of them stay finite.</summary>
    static Tensor OpenAtZero(long[] shape, Device device, Generator? generator)
    {
        var uniform = Tensor.Empty(shape, DType.Float64, device);
        Backend.For(uniform).FillUniform(uniform, 0, 1, RandomFill.Resolve(generator).Reserve(RandomLayout.BlocksFor64(uniform.Numel())));
        return 1.0 - uniform;
    }

    /// <summary>Writes the float64 draws made by <paramref name="transform"/> into t (cast to its dtype).</summary>
    static Tensor Fill(Tensor t, Func<Tensor, Tensor> transform, Generator? generator)
    {
        RandomFill.CheckWritable(t);
        Tensor values;
        using (GradMode.Set(false)) values = transform(OpenAtZero(t.ShapeRef, t.Device, generator));
        t.CopyFrom(values);
        t.BumpVersion();
        return t;
    }

    /// <summary>exponential_(lambd): -log(u) / lambd.</summary>
    public static Tensor Exponential(Tensor t, double lambd, Generator? generator)
    {
        RandomFill.CheckFloating(t, "exponential_cpu");
        if (!(lambd > 0) || double.IsInfinity(lambd)) throw new ArgumentException($"exponential_ expects lambda > 0.0, but found lambda={lambd}");
        return Fill(t, u => u.Log().Neg().Div(lambd), generator);
    }

    /// <summary>geometric_(p): the number of Bernoulli(p) trials up to the first success, ceil(log(u) / log(1 - p)), at least 1.</summary>
    public static Tensor Geometric(Tensor t, double p, Generator? generator)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentException($"geometric_ expects p to be in (0, 1), but got p={p}");
        return Fill(t, u => u.Log().Div(Math.Log(1 - p)).Ceil().ClampMin(1.0), generator);
    }

    /// <summary>cauchy_(median, sigma): median + sigma * tan(pi * (u - 1/2)).</summary>
    public static Tensor Cauchy(Tensor t, double median, double sigma, Generator? generator)
    {
        RandomFill.CheckFloating(t, "cauchy_cpu");
        if (!(sigma > 0)) throw new ArgumentException($"cauchy_ expects sigma > 0.0, but found sigma={sigma}");
        return Fill(t, u => u.Sub(0.5).Mul(Math.PI).Tan().Mul(sigma).Add(median), generator);
    }

    /// <summary>log_normal_(mean, std): exp of normal draws with that mean and std.</summary>
    public static Tensor LogNormal(Tensor t, double mean, double std, Generator? generator)
    {
        RandomFill.CheckWritable(t);
        RandomFill.CheckFloating(t, "log_normal_cpu");
        if (!(std > 0)) throw new ArgumentException($"log_normal_ expects std > 0.0, but found std={std}");
        Tensor values;
        using (GradMode.Set(false))
        {
            var normal = Tensor.Empty(t.ShapeRef, DType.Float64, t.Device);
            RandomFill.Normal(normal, mean, std, generator);
            values = normal.Exp();
        }
        t.CopyFrom(values);
        t.BumpVersion();
        return t;
    }

    /// <summary>
    /// random_() without bounds: integers in [0, 2^mantissa] for floating dtypes (every one exactly representable),
    /// in [0, max] for integer dtypes, {0, 1} for bool.
    /// </summary>
    public static Tensor FullRange(Tensor t, Generator? generator)
    {
        long to = t.DType switch
        {
            DType.Bool => 2,
            DType.UInt8 => 256,
            DType.Int8 => 128,
            DType.Int16 => 1L << 15,
            DType.Int32 => 1L << 31,
            DType.Int64 => long.MaxValue,
            DType.Float16 => (1L << 11) + 1,
            DType.BFloat16 => (1L << 8) + 1,
            DType.Float32 => (1L << 24) + 1,
            _ => (1L << 53) + 1,
        };
        return RandomFill.Randint(t, 0, to, generator);
    }

    /// <summary>
    /// torch.multinomial: numSamples category indices per row of probs (1-D or 2-D, unnormalised weights).
    /// Without replacement (or for one sample) the indices of the largest p / q with q ~ Exp(1) (Gumbel top-k,
    /// as PyTorch draws them); with replacement the inverse CDF: where uniform draws fall in the normalised cumsum.
    /// </summary>
    public static Tensor Multinomial(Tensor probs, long numSamples, bool replacement, Generator? generator)
    {
        if (probs.NDim < 1 || probs.NDim > 2) throw new ArgumentException("prob_dist must be 1 or 2 dim");
        if (!probs.DType.IsFloatingPoint())
            throw new ArgumentException($"multinomial only supports floating-point dtypes for input, got: {probs.DType.LegacyName()}");
        if (numSamples <= 0) throw new ArgumentException("cannot sample n_sample <= 0 samples");
        long categories = probs.ShapeRef[^1];
        if (!replacement && numSamples > categories)
            throw new ArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        if (categories > 1L << 24) throw new ArgumentException("number of categories cannot exceed 2^24");

        using var noGrad = GradMode.Set(false);
        var rows = probs.Detach().To(DType.Float64);
        if (rows.NDim == 1) rows = rows.Unsqueeze(0);
        bool gumbel = !replacement || numSamples == 1;
        if (rows.Lt(0).Any().Item<bool>())
            throw new ArgumentException(gumbel ? "probability tensor contains either `inf`, `nan` or element < 0"
                                               : "invalid multinomial distribution (encountering probability entry < 0)");
        if (rows.IsFinite().LogicalNot().Any().Item<bool>())
            throw new ArgumentException(gumbel ? "probability tensor contains either `inf`, `nan` or element < 0"
                                               : "invalid multinomial distribution (encountering probability entry = infinity or NaN)");
        if (rows.Sum(1).Le(0).Any().Item<bool>())
            throw new ArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");

        Tensor samples;
        if (gumbel)
        {
            // A zero weight keys -1, below every positive key, also when its exponential draw is 0 (0 / 0 would be NaN)
            var keys = (rows / Exponential(Torch.EmptyLike(rows), 1, generator)).MaskedFill(rows.Eq(0), -1);
            samples = numSamples == 1 ? keys.Argmax(-1, keepDim: true) : keys.Topk(numSamples, -1).Indices;
        }
        else
        {
            var cdf = rows.Cumsum(-1);
            // Dividing by the last entry makes it exactly 1, so a draw in (0, 1] always lands on a category;
            // a draw is never 0, so a leading zero-probability category is never picked.
            cdf = cdf / cdf.Narrow(-1, categories - 1, 1);
            samples = Torch.Searchsorted(cdf, OpenAtZero([rows.ShapeRef[0], numSamples], rows.Device, generator));
        }
        return probs.NDim == 1 ? samples.Squeeze(0) : samples;
    }

    /// <summary>Rates below this are drawn by multiplying uniforms (Knuth); from it on by transformed rejection (PTRS).</summary>
    const double PoissonRejectionRate = 10;

    /// <summary>
    /// torch.poisson: one Poisson draw per rate. Small rates count how many uniforms multiply to more than exp(-rate);
    /// larger rates use Hörmann's transformed rejection with squeeze (PTRS), redrawn until every element is accepted.
    /// Every round draws a fresh uniform tensor, so the draws follow the Generator.
    /// </summary>
    public static Tensor Poisson(Tensor rates, Generator? generator)
    {
        RandomFill.CheckFloating(rates, "poisson_cpu");
        using var noGrad = GradMode.Set(false);
        var lambda = rates.Detach().To(DType.Float64);
        if (lambda.Lt(0).LogicalOr(lambda.IsNan()).Any().Item<bool>())
            throw new ArgumentException("invalid Poisson rate, expected rate to be non-negative");
        var shape = lambda.ShapeRef;
        var small = lambda.Lt(PoissonRejectionRate);

        var counts = Torch.ZerosLike(lambda);
        var limit = lambda.Neg().Exp();
        var product = Torch.OnesLike(lambda);
        for (var active = small; active.Any().Item<bool>();)
        {
            product = product * OpenAtZero(shape, lambda.Device, generator);
            active = active.LogicalAnd(product.Gt(limit));
            counts = counts + active.To(DType.Float64);
        }

        var pending = small.LogicalNot();
        if (pending.Any().Item<bool>())
        {
            var rate = lambda.ClampMin(PoissonRejectionRate);
            var logRate = rate.Log();
            var b = rate.Sqrt() * 2.53 + 0.931;
            var a = b * 0.02483 - 0.059;
            var logInverseAlpha = (1.1328 / (b - 3.4) + 1.1239).Log();
            var squeeze = 0.9277 - 3.6224 / (b - 2);
            while (pending.Any().Item<bool>())
            {
                var u = OpenAtZero(shape, lambda.Device, generator) - 0.5;
                var v = OpenAtZero(shape, lambda.Device, generator);
                var us = 0.5 - u.Abs();
                var k = ((2 * a / us + b) * u + rate + 0.43).Floor();
                var quick = us.Ge(0.07).LogicalAnd(v.Le(squeeze));
                var rejected = k.Lt(0).LogicalOr(us.Lt(0.013).LogicalAnd(v.Gt(us)));
                var accepted = (v.Log() + logInverseAlpha - (a / (us * us) + b).Log()).Le(k * logRate - rate - LogFactorial(k));
                var take = pending.LogicalAnd(quick.LogicalOr(rejected.LogicalNot().LogicalAnd(accepted)));
                counts = Torch.Where(take, k, counts);
                pending = pending.LogicalAnd(take.LogicalNot());
            }
        }
        return counts.To(rates.DType);
    }

    /// <summary>log(k!) = lgamma(k + 1): Stirling's series at k + 7 (error below 1e-9), stepped down by six logarithms.</summary>
    static Tensor LogFactorial(Tensor k)
    {
        var z = k + 7;
        var stirling = (z - 0.5) * z.Log() - z + 0.5 * Math.Log(2 * Math.PI)
                       + 1 / (12 * z) - 1 / (360 * z.Pow(3L)) + 1 / (1260 * z.Pow(5L));
        for (int step = 1; step <= 6; step++) stirling = stirling - (k + step).Log();
        return stirling;
    }
}
