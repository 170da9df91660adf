using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PSTorch.Ops;

namespace PSTorch.Backends.Cpu;

/// <summary>A unary function with its vectorised form for contiguous spans.</summary>
internal interface IUnaryFunction<T> where T : unmanaged
{
    static abstract T Apply(T x);
    static abstract void Apply(ReadOnlySpan<T> x, Span<T> d);
    /// <summary>Whether <see cref="Apply(Vector512{T})"/> exists, for <see cref="VectorLoop"/>.</summary>
    static virtual bool HasVectorForm => false;
    static virtual Vector512<T> Apply(Vector512<T> x) => throw new NotSupportedException();
}

internal struct NegFunction<T> : IUnaryFunction<T> where T : unmanaged, INumber<T>
{
    public static bool HasVectorForm => true;
    public static Vector512<T> Apply(Vector512<T> x) => -x;
    public static T Apply(T x) => -x;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Negate(x, d);
}

internal struct AbsFunction<T> : IUnaryFunction<T> where T : unmanaged, INumber<T>
{
    public static bool HasVectorForm => true;
    public static Vector512<T> Apply(Vector512<T> x) => Vector512.Abs(x);
    public static T Apply(T x) => T.Abs(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Abs(x, d);
}

internal struct ReluFunction<T> : IUnaryFunction<T> where T : unmanaged, INumber<T>
{
    // torch.relu is clamp_min(x, 0): x unless x < 0, so NaN and -0 come back unchanged. A maximum (Vector512.Max,
    // TensorPrimitives.Max) would turn -0 into +0.
    public static bool HasVectorForm => true;
    public static Vector512<T> Apply(Vector512<T> x) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), Vector512<T>.Zero, x);
    public static T Apply(T x) => x < T.Zero ? T.Zero : x;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(x[i..]);
                Vector.ConditionalSelect(Vector.LessThan(v, Vector<T>.Zero), Vector<T>.Zero, v).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++) d[i] = Apply(x[i]);
    }
}

/// <summary>PyTorch's sign: (0 &lt; x) - (x &lt; 0), so NaN gives 0 and -0.0 gives +0.0 (unlike NumPy, pytorch/pytorch#41245).</summary>
internal struct SignFunction<T> : IUnaryFunction<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = Apply(x[i]); }
}

internal struct ExpFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Exp(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Exp(x, d);
}

internal struct LogFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log(x, d);
}

internal struct SqrtFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sqrt(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sqrt(x, d);
}

internal struct RsqrtFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / T.Sqrt(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.ReciprocalSqrt(x, d);
}

internal struct SinFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sin(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sin(x, d);
}

internal struct CosFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Cos(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Cos(x, d);
}

internal struct TanhFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Tanh(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => SmallArgumentSeries.Tanh(x, d);
}

internal struct SigmoidFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / (T.One + T.Exp(-x));
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sigmoid(x, d);
}

internal struct ReciprocalFunction<T> : IUnaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / x;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Reciprocal(x, d);
}

/// <summary>Applies an <see cref="IUnaryFunction{T}"/> to one row, vectorised when contiguous.</summary>
internal unsafe struct UnaryRow<T, TFunction> : IRowKernel where T : unmanaged where TFunction : IUnaryFunction<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(long n, nint* p, long* s)
    {
        T* o = (T*)p[0], x = (T*)p[1];
        if (s[0] == 1 && s[1] == 1 && TFunction.HasVectorForm && VectorLoop.Supported<T>())
        {
            VectorLoop.Unary<T, TFunction>(x, o, n);
            return;
        }
        if (s[0] == 1 && s[1] == 1 && n <= int.MaxValue)
        {
            TFunction.Apply(new ReadOnlySpan<T>(x, (int)n), new Span<T>(o, (int)n));
            return;
        }
        long so = s[0], sx = s[1];
        for (long i = 0; i < n; i++) o[i * so] = TFunction.Apply(x[i * sx]);
    }
}

/// <summary>logical_not on bool bytes.</summary>
internal unsafe struct LogicalNotRow : IRowKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(long n, nint* p, long* s)
    {
        byte* o = (byte*)p[0], x = (byte*)p[1];
        for (long i = 0; i < n; i++) o[i * s[0]] = x[i * s[1]] == 0 ? (byte)1 : (byte)0;
    }
}
