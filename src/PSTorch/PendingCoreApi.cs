namespace PSTorch.Commands;

/// <summary>
/// Stand-ins for creation functions that PSTorch.Core is getting in parallel (Torch.Tensor, Arange, Linspace, Eye,
/// Rand, Randn, Randint, ManualSeed). Their signatures are those of the coming Torch methods, so wiring them is
/// replacing <c>PendingCore.</c> with <c>Torch.</c> (seed becomes a Generator) and deleting this file.
/// </summary>
internal static class PendingCore
{
    static Random random = new();

    public static void ManualSeed(long seed) => random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));

    static Random Source(long? seed) => seed is { } s ? new Random(unchecked((int)s ^ (int)(s >> 32))) : random;

    /// <summary>torch.tensor(data): nested arrays of numbers or bools; integers give int64, floats the default dtype.</summary>
    public static Tensor Tensor(object data, DType? dtype = null, Device? device = null, bool requiresGrad = false)
    {
        var shape = new List<long>();
        var probe = data;
        while (probe is object[] level)
        {
            shape.Add(level.Length);
            if (level.Length == 0) break;
            probe = level[0];
        }
        var values = new List<object>();
        Flatten(data, 0, shape, values);
        bool anyFloat = values.Any(v => v is double or float or decimal or Half);
        bool allBool = values.Count > 0 && values.All(v => v is bool);
        var natural = anyFloat || values.Count == 0 ? DTypes.DefaultFloat : allBool ? DType.Bool : DType.Int64;
        var numbers = values.Select(v => v is bool b ? (b ? 1.0 : 0.0) : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var t = natural == DType.Int64
            ? Torch.FromArray(values.Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(), shape.ToArray(), dtype ?? natural)
            : Torch.FromArray(numbers, shape.ToArray(), dtype ?? natural);
        return OnDevice(t, device).RequiresGrad_(requiresGrad);
    }

    static void Flatten(object value, int dim, List<long> shape, List<object> values)
    {
        if (dim == shape.Count)
        {
            if (value is object[]) throw new ArgumentException($"expected a number at dim {dim} but got a sequence (ragged nested data)");
            if (value is not (bool or sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal or Half))
                throw new ArgumentException($"Could not infer dtype of {value?.GetType().Name ?? "null"}");
            values.Add(value);
            return;
        }
        if (value is not object[] seq) throw new ArgumentException($"expected a sequence of length {shape[dim]} at dim {dim} but got a number (ragged nested data)");
        if (seq.Length != shape[dim]) throw new ArgumentException($"expected sequence of length {shape[dim]} at dim {dim} (got {seq.Length})");
        foreach (var item in seq) Flatten(item, dim + 1, shape, values);
    }

    static long Numel(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    static Tensor OnDevice(Tensor t, Device? device) => device is { } d ? t.To(d) : t;

    public static Tensor Arange(double start, double end, double step = 1, DType? dtype = null, Device? device = null, bool requiresGrad = false)
    {
        if (step == 0) throw new ArgumentException("step must be nonzero");
        long n = Math.Max(0, (long)Math.Ceiling((end - start) / step));
        var values = new double[n];
        for (long i = 0; i < n; i++) values[i] = start + i * step;
        return OnDevice(Torch.FromArray(values, null, dtype ?? DTypes.DefaultFloat), device).RequiresGrad_(requiresGrad);
    }

    public static Tensor Linspace(double start, double end, long steps, DType? dtype = null, Device? device = null, bool requiresGrad = false)
    {
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        var values = new double[steps];
        for (long i = 0; i < steps; i++) values[i] = steps == 1 ? start : start + (end - start) * i / (steps - 1);
        return OnDevice(Torch.FromArray(values, null, dtype ?? DTypes.DefaultFloat), device).RequiresGrad_(requiresGrad);
    }

    public static Tensor Eye(long n, long? m = null, DType? dtype = null, Device? device = null, bool requiresGrad = false)
    {
        long cols = m ?? n;
        var values = new double[n * cols];
        for (long i = 0; i < Math.Min(n, cols); i++) values[i * cols + i] = 1;
        return OnDevice(Torch.FromArray(values, [n, cols], dtype ?? DTypes.DefaultFloat), device).RequiresGrad_(requiresGrad);
    }

    public static Tensor Rand(long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, long? seed = null)
    {
        var r = Source(seed);
        var values = new double[Numel(shape)];
        for (long i = 0; i < values.Length; i++) values[i] = r.NextDouble();
        return OnDevice(Torch.FromArray(values, shape, dtype ?? DTypes.DefaultFloat), device).RequiresGrad_(requiresGrad);
    }

    public static Tensor Randn(long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, long? seed = null)
    {
        var r = Source(seed);
        var values = new double[Numel(shape)];
        for (long i = 0; i < values.Length; i++)
            values[i] = Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
        return OnDevice(Torch.FromArray(values, shape, dtype ?? DTypes.DefaultFloat), device).RequiresGrad_(requiresGrad);
    }

    public static Tensor Randint(long low, long high, long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false, long? seed = null)
    {
        if (high <= low) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}");
        var r = Source(seed);
        var values = new long[Numel(shape)];
        for (long i = 0; i < values.Length; i++) values[i] = r.NextInt64(low, high);
        return OnDevice(Torch.FromArray(values, shape, dtype ?? DType.Int64), device).RequiresGrad_(requiresGrad);
    }
}
