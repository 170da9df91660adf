using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace PSTorch.Backends.Cpu;

internal struct BitwiseAndFunction<T> : IBinaryFunction<T> where T : unmanaged, IBinaryInteger<T>
{
    public static bool HasVectorForm => true;
    public static Vector512<T> Apply(Vector512<T> a, Vector512<T> b) => a & b;
    public static T Apply(T a, T b) => a & b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.BitwiseAnd(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.BitwiseAnd(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.BitwiseAnd(b, a, d);
}

internal struct BitwiseOrFunction<T> : IBinaryFunction<T> where T : unmanaged, IBinaryInteger<T>
{
    public static bool HasVectorForm => true;
    public static Vector512<T> Apply(Vector512<T> a, Vector512<T> b) => a | b;
    public static T Apply(T a, T b) => a | b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.BitwiseOr(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.BitwiseOr(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.BitwiseOr(b, a, d);
}

internal struct BitwiseXorFunction<T> : IBinaryFunction<T> where T : unmanaged, IBinaryInteger<T>
{
    public static bool HasVectorForm => true;
    public static Vector512<T> Apply(Vector512<T> a, Vector512<T> b) => a ^ b;
    public static T Apply(T a, T b) => a ^ b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Xor(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Xor(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Xor(b, a, d);
}
