using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Contiguous elementwise loops over 512-bit vectors, for functions with a vector form. An op whose output is one
/// of its inputs stores normally: TensorPrimitives switches to non-temporal stores on long spans, which loses in
/// place, where every output line has just been read into the cache (a.Add_(b) and a.Relu_() on 16M floats ran
/// 12-18 % faster this way in alternating A/B runs). A long fresh output is streamed with non-temporal stores
/// instead, which skip reading each output line before writing it (relu into a new 16M-float tensor: 1.25 ms
/// against 1.52 ms with ordinary stores).
/// </summary>
internal static unsafe class VectorLoop
{
    /// <summary>True when <typeparamref name="T"/> has hardware Vector512 arithmetic on this machine.</summary>
    public static bool Supported<T>() where T : unmanaged => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;

    /// <summary>d[i] = f(a[i * sa], b[i * sb]) for i &lt; n, where sa and sb are 1 (contiguous) or 0 (a broadcast scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Binary<T, TFunction>(T* a, long sa, T* b, long sb, T* d, long n)
        where T : unmanaged where TFunction : IBinaryFunction<T>
    {
        int lanes = Vector512<T>.Count;
        long i = 0;
        T firstA = *a, firstB = *b; // read before any store: a broadcast input must not see the output's writes
        var scalarA = Vector512.Create(firstA);
        var scalarB = Vector512.Create(firstB);
        for (; i <= n - 4 * lanes; i += 4 * lanes)
        {
            var r0 = TFunction.Apply(sa == 0 ? scalarA : Vector512.Load(a + i), sb == 0 ? scalarB : Vector512.Load(b + i));
            var r1 = TFunction.Apply(sa == 0 ? scalarA : Vector512.Load(a + i + lanes), sb == 0 ? scalarB : Vector512.Load(b + i + lanes));
            var r2 = TFunction.Apply(sa == 0 ? scalarA : Vector512.Load(a + i + 2 * lanes), sb == 0 ? scalarB : Vector512.Load(b + i + 2 * lanes));
            var r3 = TFunction.Apply(sa == 0 ? scalarA : Vector512.Load(a + i + 3 * lanes), sb == 0 ? scalarB : Vector512.Load(b + i + 3 * lanes));
            r0.Store(d + i);
            r1.Store(d + i + lanes);
            r2.Store(d + i + 2 * lanes);
            r3.Store(d + i + 3 * lanes);
        }
        for (; i < n; i++) d[i] = TFunction.Apply(sa == 0 ? firstA : a[i], sb == 0 ? firstB : b[i]);
    }

    /// <summary>Output bytes from which a fresh output is written with non-temporal stores (TensorPrimitives' threshold).</summary>
    const long StreamingBytes = 256 * 1024;

    /// <summary>d[i] = f(x[i]) for i &lt; n, both contiguous; d is x (in place) or a separate output.</summary>
    public static void Unary<T, TFunction>(T* x, T* d, long n)
        where T : unmanaged where TFunction : IUnaryFunction<T>
    {
        if (d == x || n * sizeof(T) < StreamingBytes)
        {
            Unary<T, TFunction, CachedStore<T>>(x, d, n);
            return;
        }
        // Non-temporal stores need aligned addresses: plain ones up to the first 64-byte boundary.
        long head = Math.Min(n, ((64 - (long)((nuint)d % 64)) % 64) / sizeof(T));
        if ((nuint)d % (nuint)sizeof(T) != 0) head = n;
        Unary<T, TFunction, CachedStore<T>>(x, d, head);
        Unary<T, TFunction, StreamingStore<T>>(x + head, d + head, n - head);
        Sse.StoreFence(); // streamed stores are weakly ordered: make them visible before whoever waits on this op reads d
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Unary<T, TFunction, TStore>(T* x, T* d, long n)
        where T : unmanaged where TFunction : IUnaryFunction<T> where TStore : struct, IVectorStore<T>
    {
        int lanes = Vector512<T>.Count;
        long i = 0;
        for (; i <= n - 4 * lanes; i += 4 * lanes)
        {
            var r0 = TFunction.Apply(Vector512.Load(x + i));
            var r1 = TFunction.Apply(Vector512.Load(x + i + lanes));
            var r2 = TFunction.Apply(Vector512.Load(x + i + 2 * lanes));
            var r3 = TFunction.Apply(Vector512.Load(x + i + 3 * lanes));
            TStore.Store(r0, d + i);
            TStore.Store(r1, d + i + lanes);
            TStore.Store(r2, d + i + 2 * lanes);
            TStore.Store(r3, d + i + 3 * lanes);
        }
        for (; i < n; i++) d[i] = TFunction.Apply(x[i]);
    }

    /// <summary>How a loop writes a result vector; the JIT compiles one loop per kind.</summary>
    interface IVectorStore<T> where T : unmanaged
    {
        static abstract void Store(Vector512<T> value, T* destination);
    }

    struct CachedStore<T> : IVectorStore<T> where T : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<T> value, T* destination) => value.Store(destination);
    }

    /// <summary>Non-temporal; the destination must be 64-byte aligned.</summary>
    struct StreamingStore<T> : IVectorStore<T> where T : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<T> value, T* destination) => value.StoreAlignedNonTemporal(destination);
    }
}
