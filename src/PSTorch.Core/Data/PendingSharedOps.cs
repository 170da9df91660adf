using PSTorch.Autograd;

namespace PSTorch;

// TEMPORARY: stand-ins for torch.Generator/randperm/rand/randint/randn (branch elem) and torch.stack (branch
// autograd) with the same signatures, so the data code compiles before those branches are merged.
// This file is deleted at that merge; nothing else depends on how it works.

/// <summary>torch.Generator (temporary stand-in).</summary>
public sealed class Generator
{
    public const long DefaultSeed = 67280421310721;
    Random random;
    long seed;

    public Generator(long seed = DefaultSeed, Device? device = null)
    {
        Device = device ?? Device.Cpu;
        this.seed = seed;
        random = new Random(unchecked((int)(seed ^ (seed >> 32))));
    }

    public Device Device { get; }

    public Generator ManualSeed(long seed)
    {
        lock (this) { this.seed = seed; random = new Random(unchecked((int)(seed ^ (seed >> 32)))); }
        return this;
    }

    public long InitialSeed() => seed;

    internal double NextDouble() { lock (this) return random.NextDouble(); }
    internal long NextInt64(long low, long high) { lock (this) return random.NextInt64(low, high); }
}

public static partial class Torch
{
    public static Generator DefaultGenerator { get; } = new();

    public static Generator ManualSeed(long seed) => DefaultGenerator.ManualSeed(seed);

    public static Tensor Rand(long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null)
    {
        var g = generator ?? DefaultGenerator;
        var v = new double[Shapes.Numel(shape)];
        for (int i = 0; i < v.Length; i++) v[i] = g.NextDouble();
        return FromArray(v, shape, dtype ?? DTypes.DefaultFloat, requiresGrad);
    }

    public static Tensor Randn(long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null)
    {
        var g = generator ?? DefaultGenerator;
        var v = new double[Shapes.Numel(shape)];
        for (int i = 0; i < v.Length; i++) v[i] = Math.Sqrt(-2 * Math.Log(1 - g.NextDouble())) * Math.Cos(2 * Math.PI * g.NextDouble());
        return FromArray(v, shape, dtype ?? DTypes.DefaultFloat, requiresGrad);
    }

    public static Tensor Randn(params long[] shape) => Randn(shape, null);

    public static Tensor Randint(long low, long high, long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null)
    {
        var g = generator ?? DefaultGenerator;
        var v = new long[Shapes.Numel(shape)];
        for (int i = 0; i < v.Length; i++) v[i] = g.NextInt64(low, high);
        return FromArray(v, shape, dtype ?? DType.Int64, requiresGrad);
    }

    public static Tensor Randint(long high, long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null) =>
        Randint(0, high, shape, dtype, device, requiresGrad, generator);

    public static Tensor Randperm(long n, DType? dtype = null, Device? device = null, bool requiresGrad = false, Generator? generator = null)
    {
        var g = generator ?? DefaultGenerator;
        var v = new long[n];
        for (long i = 0; i < n; i++) v[i] = i;
        for (long i = n - 1; i > 0; i--) { long j = g.NextInt64(0, i + 1); (v[i], v[j]) = (v[j], v[i]); }
        return FromArray(v, null, dtype ?? DType.Int64, requiresGrad);
    }

    public static Tensor Stack(Tensor[] tensors, int dim = 0)
    {
        if (tensors.Length == 0) throw new ArgumentException("stack expects a non-empty TensorList");
        var shape = tensors[0].ShapeRef;
        for (int i = 1; i < tensors.Length; i++)
            if (!tensors[i].ShapeRef.AsSpan().SequenceEqual(shape))
                throw new ArgumentException($"stack expects each tensor to be equal size, but got {Shapes.Format(shape)} at entry 0 and {Shapes.Format(tensors[i].ShapeRef)} at entry {i}");
        int d = Shapes.WrapDim(dim, shape.Length, forInsert: true);
        var outShape = shape.ToList();
        outShape.Insert(d, tensors.Length);
        var y = Tensor.Empty(outShape.ToArray(), Ops.Promotion.ResultType(tensors), tensors[0].Device);
        using (GradMode.Set(false))
            for (int i = 0; i < tensors.Length; i++) y.Select(d, i).CopyFrom(tensors[i]);
        return y;
    }
}
