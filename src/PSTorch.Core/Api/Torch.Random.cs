using PSTorch.Ops;

namespace PSTorch;

/// <summary>Random tensors and the global generator (torch.manual_seed, torch.rand, ...).</summary>
public static partial class Torch
{
    /// <summary>The generator random functions use when none is passed (torch.default_generator).</summary>
    public static Generator DefaultGenerator { get; } = new();

    /// <summary>Seeds the default generator; returns it.</summary>
    public static Generator ManualSeed(long seed) => DefaultGenerator.ManualSeed(seed);

    /// <summary>Seeds the default generator non-deterministically and returns the seed.</summary>
    public static long Seed() => DefaultGenerator.Seed();

    public static long InitialSeed() => DefaultGenerator.InitialSeed();
    public static byte[] GetRngState() => DefaultGenerator.GetState();
    public static void SetRngState(byte[] state) => DefaultGenerator.SetState(state);

    static Tensor NewForRandom(long[] shape, DType dtype, Device? device) => Tensor.Empty(shape, dtype, OrDefault(device));

    /// <summary>torch.rand: uniform in [0, 1).</summary>
    public static Tensor Rand(long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null) =>
        NewForRandom(shape, dtype ?? DTypes.DefaultFloat, device).Uniform_(0, 1, generator).RequiresGrad_(requiresGrad);

    public static Tensor Rand(params long[] shape) => Rand(shape, null);

    /// <summary>torch.randn: standard normal.</summary>
    public static Tensor Randn(long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null) =>
        NewForRandom(shape, dtype ?? DTypes.DefaultFloat, device).Normal_(0, 1, generator).RequiresGrad_(requiresGrad);

    public static Tensor Randn(params long[] shape) => Randn(shape, null);

    /// <summary>torch.normal(mean, std, size).</summary>
    public static Tensor Normal(double mean, double std, long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null) =>
        NewForRandom(shape, dtype ?? DTypes.DefaultFloat, device).Normal_(mean, std, generator).RequiresGrad_(requiresGrad);

    /// <summary>torch.randint(low, high, size): integers uniform in [low, high), int64 unless dtype says otherwise.</summary>
    public static Tensor Randint(long low, long high, long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null) =>
        NewForRandom(shape, dtype ?? DType.Int64, device).Random_(low, high, generator).RequiresGrad_(requiresGrad);

    /// <summary>torch.randint(high, size).</summary>
    public static Tensor Randint(long high, long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null) =>
        Randint(0, high, shape, dtype, device, requiresGrad, generator);

    public static Tensor RandLike(Tensor t, DType? dtype = null, bool requiresGrad = false, Generator? generator = null) =>
        Rand(t.ShapeRef, dtype ?? t.DType, t.Device, requiresGrad, generator);

    public static Tensor RandnLike(Tensor t, DType? dtype = null, bool requiresGrad = false, Generator? generator = null) =>
        Randn(t.ShapeRef, dtype ?? t.DType, t.Device, requiresGrad, generator);

    public static Tensor RandintLike(Tensor t, long low, long high, DType? dtype = null, bool requiresGrad = false, Generator? generator = null) =>
        Randint(low, high, t.ShapeRef, dtype ?? t.DType, t.Device, requiresGrad, generator);

    public static Tensor RandintLike(Tensor t, long high, DType? dtype = null, bool requiresGrad = false, Generator? generator = null) =>
        RandintLike(t, 0, high, dtype, requiresGrad, generator);

    /// <summary>torch.randperm(n): a random permutation of 0..n-1.</summary>
    public static Tensor Randperm(long n, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null)
    {
        if (n < 0) throw new ArgumentException($"n must be non-negative, got {n}");
        var t = Tensor.Empty([n], DType.Int64, OrDefault(device));
        Backends.Backend.For(t).FillRandperm(t, RandomFill.Resolve(generator).Reserve(RandomLayout.BlocksFor64(n)));
        return t.To(dtype ?? DType.Int64).RequiresGrad_(requiresGrad);
    }

    /// <summary>torch.bernoulli(input): 0s and 1s drawn with input's elements as probabilities.</summary>
    public static Tensor Bernoulli(Tensor input, Generator? generator = null) => input.Bernoulli(generator);
}
