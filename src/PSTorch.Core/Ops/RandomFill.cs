using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// The random in-place fills behind torch.rand/randn/randint/bernoulli and the tensor methods uniform_,
/// normal_, random_, bernoulli_: argument checks, the Philox blocks to reserve, and the backend call.
/// </summary>
internal static class RandomFill
{
    public static Generator Resolve(Generator? generator) => generator ?? Torch.DefaultGenerator;

    internal static void CheckWritable(Tensor t)
    {
        if (GradMode.IsEnabled && t.IsLeaf && t.RequiresGrad)
            throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
    }

    internal static void CheckFloating(Tensor t, string kernel)
    {
        if (!t.DType.IsFloatingPoint())
            throw new NotSupportedException($"\"{kernel}\" not implemented for '{t.DType.LegacyName()}'");
    }

    public static Tensor Uniform(Tensor t, double from, double to, Generator? generator)
    {
        CheckWritable(t);
        CheckFloating(t, "check_uniform_bounds");
        if (from > to) throw new ArgumentException($"uniform_ expects to return a [from, to) range, but found from={from} > to={to}");
        var g = Resolve(generator);
        var blocks = t.DType == DType.Float64 ? RandomLayout.BlocksFor64(t.Numel()) : RandomLayout.BlocksFor32(t.Numel());
        Backend.For(t).FillUniform(t, from, to, g.Reserve(blocks));
        t.BumpVersion();
        return t;
    }

    public static Tensor Normal(Tensor t, double mean, double std, Generator? generator)
    {
        CheckWritable(t);
        CheckFloating(t, "normal_kernel_cpu");
        if (!(std >= 0)) throw new ArgumentException($"normal expects std >= 0.0, but found std {std}");
        var g = Resolve(generator);
        Backend.For(t).FillNormal(t, mean, std, g.Reserve(RandomLayout.BlocksForNormal(t.Numel())));
        t.BumpVersion();
        return t;
    }

    /// <summary>random_(from, to): integers in [from, to), stored in t's dtype.</summary>
    public static Tensor Randint(Tensor t, long low, long high, Generator? generator)
    {
        CheckWritable(t);
        if (low >= high) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}");
        if (t.DType == DType.Bool && (low < 0 || high > 2))
            throw new ArgumentException($"random_ expects 'from' and 'to' within [0, 2) for bool tensors, but got from={low}, to={high}");
        var g = Resolve(generator);
        Backend.For(t).FillRandint(t, low, high, g.Reserve(RandomLayout.BlocksFor64(t.Numel())));
        t.BumpVersion();
        return t;
    }

    /// <summary>bernoulli_: 1 with probability p (a number or a broadcastable tensor of probabilities), else 0.</summary>
    public static Tensor Bernoulli(Tensor t, Tensor probability, Generator? generator)
    {
        CheckWritable(t);
        Tensor draws;
        using (GradMode.Set(false))
        {
            var uniform = Tensor.Empty(t.ShapeRef, DType.Float64, t.Device);
            Backend.For(t).FillUniform(uniform, 0, 1, Resolve(generator).Reserve(RandomLayout.BlocksFor64(t.Numel())));
            draws = uniform.Lt(probability.To(DType.Float64));
        }
        t.CopyFrom(draws);
        t.BumpVersion();
        return t;
    }

    public static void CheckProbability(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"bernoulli_ expects p to be in [0, 1], but got p={p}");
    }
}
