using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PSTorch.Backends.Cpu;

/// <summary>An associative combine with its vectorised forms: over one contiguous span, and elementwise over two.</summary>
internal interface IReduceFunction<T> where T : unmanaged
{
    static abstract T Combine(T a, T b);
    static abstract T Reduce(ReadOnlySpan<T> x);
    static abstract void Combine(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d);
    /// <summary>Whether <see cref="ReduceRow"/> exists: a whole-row reduction as accurate as the pairwise tree, without its per-leaf overhead.</summary>
    static virtual bool HasRowForm => false;
    static virtual unsafe T ReduceRow(T* p, long n) => throw new NotSupportedException();
}

internal struct SumReduce<T> : IReduceFunction<T> where T : unmanaged, INumber<T>
{
    public static T Combine(T a, T b) => a + b;

    /// <summary>
    /// Four vector accumulators: each lane adds only n / (4 * lanes) values, which keeps a leaf of the pairwise
    /// tree accurate (TensorPrimitives.Sum's single accumulator drifts on long runs of similar values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe T Reduce(ReadOnlySpan<T> x)
    {
        int n = x.Length, i = 0;
        T s = T.Zero;
        fixed (T* p = x)
        {
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= 4 * Vector512<T>.Count)
            {
                int lanes = Vector512<T>.Count, step = 4 * lanes;
                Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
                for (; i <= n - step; i += step)
                {
                    a0 += Vector512.Load(p + i);
                    a1 += Vector512.Load(p + i + lanes);
                    a2 += Vector512.Load(p + i + 2 * lanes);
                    a3 += Vector512.Load(p + i + 3 * lanes);
                }
                s = Vector512.Sum((a0 + a1) + (a2 + a3));
            }
            else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= 4 * Vector256<T>.Count)
            {
                int lanes = Vector256<T>.Count, step = 4 * lanes;
                Vector256<T> a0 = Vector256<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
                for (; i <= n - step; i += step)
                {
                    a0 += Vector256.Load(p + i);
                    a1 += Vector256.Load(p + i + lanes);
                    a2 += Vector256.Load(p + i + 2 * lanes);
                    a3 += Vector256.Load(p + i + 3 * lanes);
                }
                s = Vector256.Sum((a0 + a1) + (a2 + a3));
            }
        }
        for (; i < n; i++) s += x[i];
        return s;
    }

    public static void Combine(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(a, b, d);

    public static bool HasRowForm => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;

    /// <summary>Vector elements summed per block: 16 KB of floats, eight loads per step.</summary>
    const int RowFormBlock = 4096;

    /// <summary>
    /// PyTorch-like cascade sum kept in vector registers: each block of <see cref="RowFormBlock"/> elements is
    /// added into eight independent accumulators (each lane adds 32 floats; eight chains keep the loads streaming),
    /// and the block vectors are combined pairwise by a binary counter, so the error grows with log(blocks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe T ReduceRow(T* p, long n)
    {
        int lanes = Vector512<T>.Count, step = 8 * lanes, block = RowFormBlock / 16 * lanes;
        long blocks = n / block;
        // level k of the cascade holds the sum of 2^k blocks; 64 levels cover any long count
        var levels = stackalloc Vector512<T>[64];
        int depth = 0;
        for (long k = 0; k < blocks; k++)
        {
            T* q = p + k * block;
            Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int i = 0; i < block; i += step)
            {
                a0 += Vector512.Load(q + i);
                a1 += Vector512.Load(q + i + lanes);
                a2 += Vector512.Load(q + i + 2 * lanes);
                a3 += Vector512.Load(q + i + 3 * lanes);
                a4 += Vector512.Load(q + i + 4 * lanes);
                a5 += Vector512.Load(q + i + 5 * lanes);
                a6 += Vector512.Load(q + i + 6 * lanes);
                a7 += Vector512.Load(q + i + 7 * lanes);
            }
            var v = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
            for (long c = k; (c & 1) == 1; c >>= 1) v = levels[--depth] + v;
            levels[depth++] = v;
        }
        var total = Vector512<T>.Zero;
        while (depth > 0) total = levels[--depth] + total;
        long tail = n - blocks * block;
        return Vector512.Sum(total) + Reduce(new ReadOnlySpan<T>(p + blocks * block, (int)tail));
    }
}

internal struct ProdReduce<T> : IReduceFunction<T> where T : unmanaged, INumber<T>
{
    public static T Combine(T a, T b) => a * b;
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Product(x);
    public static void Combine(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
}

internal struct MaxReduce<T> : IReduceFunction<T> where T : unmanaged, INumber<T>
{
    public static T Combine(T a, T b) => T.IsNaN(a) || T.IsNaN(b) ? a + b : T.Max(a, b);
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Max(x);
    public static void Combine(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Max(a, b, d);
}

internal struct MinReduce<T> : IReduceFunction<T> where T : unmanaged, INumber<T>
{
    public static T Combine(T a, T b) => T.IsNaN(a) || T.IsNaN(b) ? a + b : T.Min(a, b);
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Min(x);
    public static void Combine(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Min(a, b, d);
}

/// <summary>
/// Reduces a contiguous [outer, n, inner] block along n. Every path combines pairwise (blocks of vectorised
/// sequential work joined in a binary tree), so float sums have O(log n) rounding error like PyTorch's cascade sum.
/// </summary>
internal static unsafe class ReduceKernel<T, TFunction> where T : unmanaged where TFunction : IReduceFunction<T>
{
    /// <summary>Elements reduced sequentially (vectorised) before pairwise combining takes over.</summary>
    const long RowBlock = 1024;
    /// <summary>Rows of the [n, inner] case added sequentially before pairwise combining takes over.</summary>
    const long ColumnBlock = 16;
    /// <summary>Columns handled at once in the [n, inner] case, so the partial sums stay in cache.</summary>
    const long ColumnChunk = 1024;

    public static void Run(T* src, T* dst, long outer, long n, long inner)
    {
        long total = outer * n * inner;
        int workers = total >= StridedLoop.ParallelThreshold ? CpuThreads.Count : 1;
        if (inner == 1)
        {
            if (outer >= workers)
                ForRange(workers, outer, (r0, r1) => { for (long r = r0; r < r1; r++) dst[r] = Row(src + r * n, n); });
            else
                for (long r = 0; r < outer; r++) dst[r] = SplitRow(src + r * n, n, workers);
            return;
        }
        long chunks = (inner + ColumnChunk - 1) / ColumnChunk;
        ForRange(workers, outer * chunks, (i0, i1) =>
        {
            var scratch = new T[ColumnChunk * (2 + BitOperations.Log2((ulong)Math.Max(n / ColumnBlock, 1)))];
            fixed (T* s = scratch)
                for (long item = i0; item < i1; item++)
                {
                    long o = item / chunks, c0 = item % chunks * ColumnChunk;
                    long cols = Math.Min(ColumnChunk, inner - c0);
                    Columns(src + o * n * inner + c0, n, inner, (int)cols, dst + o * inner + c0, s);
                }
        });
    }

    /// <summary>Splits [0, count) into one contiguous range per worker (runs inline for one worker).</summary>
    static void ForRange(int workers, long count, Action<long, long> body)
    {
        workers = (int)Math.Min(workers, count);
        if (workers <= 1) { body(0, count); return; }
        CpuThreads.For(workers, w => body(count * w / workers, count * (w + 1) / workers));
    }

    /// <summary>One long row: each worker reduces a contiguous part, then the parts are combined.</summary>
    static T SplitRow(T* p, long n, int workers)
    {
        if (workers <= 1 || n < StridedLoop.ParallelThreshold) return Row(p, n);
        var parts = new T[workers];
        CpuThreads.For(workers, w =>
        {
            long a = n * w / workers, b = n * (w + 1) / workers;
            parts[w] = Row(p + a, b - a);
        });
        T r = parts[0];
        for (int w = 1; w < workers; w++) r = TFunction.Combine(r, parts[w]);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static T Row(T* p, long n)
    {
        if (TFunction.HasRowForm) return TFunction.ReduceRow(p, n);
        if (n <= RowBlock) return TFunction.Reduce(new ReadOnlySpan<T>(p, (int)n));
        long half = (n + 1) / 2 / RowBlock * RowBlock;
        if (half == 0 || half >= n) half = n / 2;
        return TFunction.Combine(Row(p, half), Row(p + half, n - half));
    }

    /// <summary>d[c] = reduce over j &lt; n of p[j * stride + c] for c &lt; cols; scratch holds cols elements per tree level.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Columns(T* p, long n, long stride, int cols, T* d, T* scratch)
    {
        var dst = new Span<T>(d, cols);
        if (n <= ColumnBlock)
        {
            new ReadOnlySpan<T>(p, cols).CopyTo(dst);
            for (long j = 1; j < n; j++) TFunction.Combine(dst, new ReadOnlySpan<T>(p + j * stride, cols), dst);
            return;
        }
        long half = n / 2;
        Columns(p, half, stride, cols, d, scratch + cols);
        Columns(p + half * stride, n - half, stride, cols, scratch, scratch + cols);
        TFunction.Combine(dst, new ReadOnlySpan<T>(scratch, cols), dst);
    }
}

/// <summary>Index (and value) of the maximum or minimum along n of a contiguous [outer, n, inner] block.</summary>
internal static unsafe class ArgReduceKernel<T> where T : unmanaged, INumber<T>
{
    /// <summary>True when <paramref name="v"/> replaces <paramref name="best"/>: strictly better, or the first NaN.</summary>
    static bool Wins(bool max, T v, T best) =>
        !T.IsNaN(best) && (T.IsNaN(v) || (max ? v > best : v < best));

    public static void Run(bool max, T* src, T* values, long* indices, long outer, long n, long inner)
    {
        long total = outer * n * inner;
        int workers = total >= StridedLoop.ParallelThreshold && outer > 1 ? (int)Math.Min(CpuThreads.Count, outer) : 1;
        if (workers <= 1) { Block(max, src, values, indices, 0, outer, n, inner); return; }
        CpuThreads.For(workers, w => Block(max, src, values, indices, outer * w / workers, outer * (w + 1) / workers, n, inner));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Block(bool max, T* src, T* values, long* indices, long o0, long o1, long n, long inner)
    {
        var columnBest = inner > 1 ? new T[inner] : null;
        for (long o = o0; o < o1; o++)
        {
            T* x = src + o * n * inner;
            long* idx = indices + o * inner;
            if (columnBest == null)
            {
                T best = x[0];
                long at = 0;
                for (long j = 1; j < n; j++)
                    if (Wins(max, x[j], best)) { best = x[j]; at = j; }
                *idx = at;
                if (values != null) values[o] = best;
                continue;
            }
            for (long i = 0; i < inner; i++) { columnBest[i] = x[i]; idx[i] = 0; }
            for (long j = 1; j < n; j++)
            {
                T* row = x + j * inner;
                for (long i = 0; i < inner; i++)
                    if (Wins(max, row[i], columnBest[i])) { columnBest[i] = row[i]; idx[i] = j; }
            }
            if (values != null)
                for (long i = 0; i < inner; i++) values[o * inner + i] = columnBest[i];
        }
    }
}
