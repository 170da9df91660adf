namespace PSTorch.Backends.Cpu;

/// <summary>Scalar forms applied over spans, for functions with no vectorised form.</summary>
internal static class ElementwiseSpans
{
    public static void Apply<T, TFunction>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged where TFunction : IUnaryFunction<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TFunction.Apply(x[i]);
    }

    public static void Apply<T, TFunction>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged where TFunction : IBinaryFunction<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TFunction.Apply(a[i], b[i]);
    }

    public static void Apply<T, TFunction>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged where TFunction : IBinaryFunction<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TFunction.Apply(a[i], b);
    }

    public static void Apply<T, TFunction>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged where TFunction : IBinaryFunction<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TFunction.Apply(a, b[i]);
    }
}
