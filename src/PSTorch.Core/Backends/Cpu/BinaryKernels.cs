using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PSTorch.Ops;

namespace PSTorch.Backends.Cpu;

/// <summary>A binary function with its vectorised forms for contiguous spans and span-scalar pairs.</summary>
internal interface IBinaryFunction<T> where T : unmanaged
{
    static abstract T Apply(T a, T b);
    static abstract void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d);
    static abstract void Apply(ReadOnlySpan<T> a, T b, Span<T> d);
    static abstract void Apply(T a, ReadOnlySpan<T> b, Span<T> d);
    /// <summary>Whether <see cref="Apply(Vector512{T}, Vector512{T})"/> exists, for <see cref="VectorLoop"/>.</summary>
    static virtual bool HasVectorForm => false;
    static virtual Vector512<T> Apply(Vector512<T> a, Vector512<T> b) => throw new NotSupportedException();
}

internal struct AddFunction<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static bool HasVectorForm => true;
    public static Vector512<T> Apply(Vector512<T> a, Vector512<T> b) => a + b;
    public static T Apply(T a, T b) => a + b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(b, a, d);
}

internal struct SubFunction<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static bool HasVectorForm => true;
    public static Vector512<T> Apply(Vector512<T> a, Vector512<T> b) => a - b;
    public static T Apply(T a, T b) => a - b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
}

internal struct MulFunction<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static bool HasVectorForm => true;
    public static Vector512<T> Apply(Vector512<T> a, Vector512<T> b) => a * b;
    public static T Apply(T a, T b) => a * b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(b, a, d);
}

internal struct DivFunction<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static bool HasVectorForm => typeof(T) == typeof(float) || typeof(T) == typeof(double);
    public static Vector512<T> Apply(Vector512<T> a, Vector512<T> b) => a / b;
    public static T Apply(T a, T b) => a / b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
}

internal struct MaximumFunction<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.IsNaN(a) || T.IsNaN(b) ? a + b : T.Max(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Max(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Max(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Max(b, a, d);
}

internal struct MinimumFunction<T> : IBinaryFunction<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.IsNaN(a) || T.IsNaN(b) ? a + b : T.Min(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Min(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Min(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Min(b, a, d);
}

internal struct FloatPowFunction<T> : IBinaryFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Pow(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Pow(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d)
    {
        if (b == T.CreateTruncating(2)) TensorPrimitives.Multiply(a, a, d);
        else TensorPrimitives.Pow(a, b, d);
    }
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Pow(a, b, d);
}

/// <summary>Integer power by squaring; negative exponents follow integer division (0 except for |base| = 1).</summary>
internal struct IntPowFunction<T> : IBinaryFunction<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsNegative(b)) return a == T.One ? T.One : a == -T.One ? (T.IsEvenInteger(b) ? T.One : -T.One) : T.Zero;
        T r = T.One;
        while (b != T.Zero)
        {
            if (T.IsOddInteger(b)) r *= a;
            a *= a;
            b >>= 1;
        }
        return r;
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = Apply(a[i], b[i]); }
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = Apply(a[i], b); }
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = Apply(a, b[i]); }
}

/// <summary>Applies an <see cref="IBinaryFunction{T}"/> to one row, using the vectorised forms when the row is contiguous.</summary>
internal unsafe struct BinaryRow<T, TFunction> : IRowKernel where T : unmanaged where TFunction : IBinaryFunction<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(long n, nint* p, long* s)
    {
        T* o = (T*)p[0], a = (T*)p[1], b = (T*)p[2];
        if (s[0] == 1 && TFunction.HasVectorForm && VectorLoop.Supported<T>() && (o == a || o == b) && IsSpanOrScalar(s[1]) && IsSpanOrScalar(s[2]))
        {
            VectorLoop.Binary<T, TFunction>(a, s[1], b, s[2], o, n);
            return;
        }
        if (s[0] == 1 && n <= int.MaxValue)
        {
            int len = (int)n;
            if (s[1] == 1 && s[2] == 1) { TFunction.Apply(new ReadOnlySpan<T>(a, len), new ReadOnlySpan<T>(b, len), new Span<T>(o, len)); return; }
            if (s[1] == 1 && s[2] == 0) { TFunction.Apply(new ReadOnlySpan<T>(a, len), *b, new Span<T>(o, len)); return; }
            if (s[1] == 0 && s[2] == 1) { TFunction.Apply(*a, new ReadOnlySpan<T>(b, len), new Span<T>(o, len)); return; }
        }
        long so = s[0], sa = s[1], sb = s[2];
        for (long i = 0; i < n; i++) o[i * so] = TFunction.Apply(a[i * sa], b[i * sb]);
    }

    static bool IsSpanOrScalar(long stride) => stride == 1 || stride == 0;
}

/// <summary>Comparisons: bool (one byte, 0 or 1) results from numeric inputs.</summary>
internal unsafe struct CompareRow<T> : IRowKernel where T : unmanaged, INumber<T>
{
    public BinaryOp Op;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(long n, nint* p, long* s)
    {
        byte* o = (byte*)p[0];
        T* a = (T*)p[1], b = (T*)p[2];
        long so = s[0], sa = s[1], sb = s[2];
        switch (Op)
        {
            case BinaryOp.Eq: for (long i = 0; i < n; i++) o[i * so] = a[i * sa] == b[i * sb] ? (byte)1 : (byte)0; break;
            case BinaryOp.Ne: for (long i = 0; i < n; i++) o[i * so] = a[i * sa] != b[i * sb] ? (byte)1 : (byte)0; break;
            case BinaryOp.Lt: for (long i = 0; i < n; i++) o[i * so] = a[i * sa] < b[i * sb] ? (byte)1 : (byte)0; break;
            case BinaryOp.Le: for (long i = 0; i < n; i++) o[i * so] = a[i * sa] <= b[i * sb] ? (byte)1 : (byte)0; break;
            case BinaryOp.Gt: for (long i = 0; i < n; i++) o[i * so] = a[i * sa] > b[i * sb] ? (byte)1 : (byte)0; break;
            case BinaryOp.Ge: for (long i = 0; i < n; i++) o[i * so] = a[i * sa] >= b[i * sb] ? (byte)1 : (byte)0; break;
            default: throw new ArgumentOutOfRangeException(nameof(Op), Op, "not a comparison");
        }
    }
}

/// <summary>Logical and/or/xor on bool inputs (nonzero bytes are true).</summary>
internal unsafe struct LogicalRow : IRowKernel
{
    public BinaryOp Op;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(long n, nint* p, long* s)
    {
        byte* o = (byte*)p[0], a = (byte*)p[1], b = (byte*)p[2];
        long so = s[0], sa = s[1], sb = s[2];
        for (long i = 0; i < n; i++)
        {
            bool x = a[i * sa] != 0, y = b[i * sb] != 0;
            bool r = Op switch { BinaryOp.LogicalAnd => x & y, BinaryOp.LogicalOr => x | y, _ => x ^ y };
            o[i * so] = r ? (byte)1 : (byte)0;
        }
    }
}
