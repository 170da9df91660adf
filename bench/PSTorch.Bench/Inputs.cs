namespace PSTorch.Bench;

/// <summary>Seeded random inputs, so every run of a case sees the same data.</summary>
public static class Inputs
{
    /// <summary>float32 samples of N(0, 1) (Box-Muller), row-major in <paramref name="shape"/>.</summary>
    public static Tensor Randn(params long[] shape)
    {
        var random = new Random(0);
        var values = new float[checked((int)shape.Aggregate(1L, (a, b) => a * b))];
        for (int i = 0; i < values.Length; i += 2)
        {
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            double angle = 2 * Math.PI * random.NextDouble();
            values[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < values.Length) values[i + 1] = (float)(radius * Math.Sin(angle));
        }
        return Torch.FromArray(values, shape);
    }

    /// <summary>int64 samples uniform in [0, <paramref name="high"/>).</summary>
    public static Tensor RandInt(long high, params long[] shape)
    {
        var random = new Random(1);
        var values = new long[checked((int)shape.Aggregate(1L, (a, b) => a * b))];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextInt64(high);
        return Torch.FromArray(values, shape);
    }
}
