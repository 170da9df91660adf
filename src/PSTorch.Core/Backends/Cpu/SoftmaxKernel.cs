using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Softmax and log-softmax of a contiguous [outer, n, inner] block along n: the maximum is subtracted before
/// exponentiating so large inputs do not overflow. Rows (inner = 1) are vectorised along n; otherwise along inner.
/// The loops are compiled optimised from the first call (AggressiveOptimization): a softmax over short rows
/// otherwise runs unoptimised JIT code for its first several hundred milliseconds.
/// </summary>
internal static unsafe class SoftmaxKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Run(T* src, T* dst, long outer, long n, long inner, bool log)
    {
        long total = outer * n * inner;
        int workers = total >= StridedLoop.ParallelThreshold ? (int)Math.Min(CpuThreads.Count, outer) : 1;
        if (workers <= 1) { Block(src, dst, 0, outer, n, inner, log); return; }
        CpuThreads.For(workers, w => Block(src, dst, outer * w / workers, outer * (w + 1) / workers, n, inner, log));
    }

    /// <summary>
    /// lse[r] = max + log(sum(exp(x - max))) of each contiguous row of n: the softmax's first two passes, which the
    /// fused cross-entropy keeps instead of the log-probabilities.
    /// </summary>
    public static void LogSumExp(T* src, T* lse, long rows, long n)
    {
        int workers = rows * n >= StridedLoop.ParallelThreshold ? (int)Math.Min(CpuThreads.Count, rows) : 1;
        if (workers <= 1) { LogSumExpRows(src, lse, 0, rows, n); return; }
        CpuThreads.For(workers, w => LogSumExpRows(src, lse, rows * w / workers, rows * (w + 1) / workers, n));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void LogSumExpRows(T* src, T* lse, long r0, long r1, long n)
    {
        if (typeof(T) == typeof(float) && n <= int.MaxValue && (Avx512F.IsSupported || (Avx2.IsSupported && Fma.IsSupported)))
        {
            for (long r = r0; r < r1; r++)
            {
                float* x = (float*)src + r * n;
                float max = FloatMax(x, (int)n);
                ((float*)lse)[r] = max + MathF.Log(FloatExpSum(x, null, (int)n, max));
            }
            return;
        }
        var shifted = new T[n];
        for (long r = r0; r < r1; r++)
        {
            var x = new ReadOnlySpan<T>(src + r * n, (int)n);
            T max = n == 0 ? T.NegativeInfinity : TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, max, shifted);
            TensorPrimitives.Exp(shifted, shifted);
            lse[r] = max + T.Log(TensorPrimitives.Sum<T>(shifted));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Block(T* src, T* dst, long o0, long o1, long n, long inner, bool log)
    {
        if (inner == 1)
        {
            if (typeof(T) == typeof(float) && n <= int.MaxValue && (Avx512F.IsSupported || (Avx2.IsSupported && Fma.IsSupported)))
            {
                if (n < ShortRow && src != dst)
                {
                    FloatShortRows((float*)src + o0 * n, (float*)dst + o0 * n, o1 - o0, (int)n, log);
                    return;
                }
                for (long o = o0; o < o1; o++) FloatRow((float*)src + o * n, (float*)dst + o * n, (int)n, log);
                return;
            }
            for (long o = o0; o < o1; o++) Row(new ReadOnlySpan<T>(src + o * n, (int)n), new Span<T>(dst + o * n, (int)n), log);
            return;
        }
        var max = new T[inner];
        var sum = new T[inner];
        for (long o = o0; o < o1; o++) Columns(src + o * n * inner, dst + o * n * inner, n, (int)inner, max, sum, log);
    }

    /// <summary>Rows shorter than this (one 512-bit vector) go through <see cref="FloatShortRows"/>.</summary>
    const int ShortRow = 16;
    /// <summary>Rows per chunk of <see cref="FloatShortRows"/>: a chunk of 15-float rows stays within L1.</summary>
    const int ShortRowChunk = 256;

    /// <summary>
    /// Rows shorter than a vector (a classifier's 10 logits): a padded vector exp per row would spend most of its
    /// lanes and time on padding, so a chunk of rows is shifted by their maxima, exponentiated as one contiguous
    /// span, then summed and scaled row by row. Same arithmetic, in the same order, as <see cref="FloatRow"/>.
    /// x and y must not overlap: log-softmax reads x again after y holds the exponentials.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void FloatShortRows(float* x, float* y, long rows, int n, bool log)
    {
        var max = stackalloc float[ShortRowChunk];
        for (long r0 = 0; r0 < rows; r0 += ShortRowChunk)
        {
            int count = (int)Math.Min(ShortRowChunk, rows - r0);
            float* xc = x + r0 * n, yc = y + r0 * n;
            for (int r = 0; r < count; r++)
            {
                float* xr = xc + r * n, yr = yc + r * n;
                float m = float.NegativeInfinity;
                for (int k = 0; k < n; k++) m = MathF.Max(m, xr[k]);
                max[r] = m;
                for (int k = 0; k < n; k++) yr[k] = xr[k] - m;
            }
            FloatExpInPlace(yc, count * n);
            for (int r = 0; r < count; r++)
            {
                float* xr = xc + r * n, yr = yc + r * n;
                float sum = 0;
                for (int k = 0; k < n; k++) sum += yr[k];
                if (log) FloatShift(xr, yr, n, max[r], MathF.Log(sum));
                else FloatScale(yr, n, 1f / sum);
            }
        }
    }

    /// <summary>y = exp(y) over a contiguous span, the tail through one padded vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void FloatExpInPlace(float* y, int n)
    {
        int i = 0;
        if (Avx512F.IsSupported) for (; i <= n - 16; i += 16) VectorExp.Exp(Vector512.Load(y + i)).Store(y + i);
        else for (; i <= n - 8; i += 8) VectorExp.Exp(Vector256.Load(y + i)).Store(y + i);
        if (i == n) return;
        var buffer = stackalloc float[16];
        int count = n - i;
        for (int k = 0; k < 16; k++) buffer[k] = k < count ? y[i + k] : 0f;
        if (Avx512F.IsSupported) VectorExp.Exp(Vector512.Load(buffer)).Store(buffer);
        else { VectorExp.Exp(Vector256.Load(buffer)).Store(buffer); VectorExp.Exp(Vector256.Load(buffer + 8)).Store(buffer + 8); }
        for (int k = 0; k < count; k++) y[i + k] = buffer[k];
    }

    /// <summary>
    /// One float row in three passes over memory the first pass brings into L1: maximum; exponentials (stored
    /// for softmax) and their sum; scaling (softmax) or x - max - log(sum) (log-softmax). NaN anywhere makes
    /// the sum, and so the whole row, NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void FloatRow(float* x, float* y, int n, bool log)
    {
        float max = FloatMax(x, n);
        float sum = FloatExpSum(x, log ? null : y, n, max);
        if (log) FloatShift(x, y, n, max, MathF.Log(sum));
        else FloatScale(y, n, 1f / sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float FloatMax(float* x, int n)
    {
        int i = 0;
        float max = float.NegativeInfinity;
        if (Avx512F.IsSupported && n >= 16)
        {
            var m = Vector512.Create(float.NegativeInfinity);
            for (; i <= n - 16; i += 16) m = Vector512.Max(m, Vector512.Load(x + i));
            max = FloatMax(Vector256.Max(m.GetLower(), m.GetUpper()));
        }
        else if (n >= 8)
        {
            var m = Vector256.Create(float.NegativeInfinity);
            for (; i <= n - 8; i += 8) m = Vector256.Max(m, Vector256.Load(x + i));
            max = FloatMax(m);
        }
        for (; i < n; i++) max = MathF.Max(max, x[i]);
        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float FloatMax(Vector256<float> m)
    {
        var h = Vector128.Max(m.GetLower(), m.GetUpper());
        return MathF.Max(MathF.Max(h[0], h[1]), MathF.Max(h[2], h[3]));
    }

    /// <summary>Sum of exp(x - max), also stored to <paramref name="e"/> unless it is null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float FloatExpSum(float* x, float* e, int n, float max)
    {
        int i = 0;
        float sum = 0;
        if (Avx512F.IsSupported)
        {
            var m = Vector512.Create(max);
            Vector512<float> s0 = Vector512<float>.Zero, s1 = s0;
            for (; i <= n - 32; i += 32)
            {
                var a = VectorExp.Exp(Vector512.Load(x + i) - m);
                var b = VectorExp.Exp(Vector512.Load(x + i + 16) - m);
                if (e != null) { a.Store(e + i); b.Store(e + i + 16); }
                s0 += a;
                s1 += b;
            }
            for (; i <= n - 16; i += 16)
            {
                var a = VectorExp.Exp(Vector512.Load(x + i) - m);
                if (e != null) a.Store(e + i);
                s0 += a;
            }
            sum = Vector512.Sum(s0 + s1);
        }
        else
        {
            var m = Vector256.Create(max);
            var s0 = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var a = VectorExp.Exp(Vector256.Load(x + i) - m);
                if (e != null) a.Store(e + i);
                s0 += a;
            }
            sum = Vector256.Sum(s0);
        }
        if (i < n)
        {
            // the last n - i (< 16) elements through one padded 512-bit exp when AVX-512 is there
            var buffer = stackalloc float[16];
            for (; i < n; i += 16)
            {
                int count = Math.Min(16, n - i);
                for (int k = 0; k < 16; k++) buffer[k] = k < count ? x[i + k] - max : 0f;
                if (Avx512F.IsSupported) VectorExp.Exp(Vector512.Load(buffer)).Store(buffer);
                else { VectorExp.Exp(Vector256.Load(buffer)).Store(buffer); VectorExp.Exp(Vector256.Load(buffer + 8)).Store(buffer + 8); }
                for (int k = 0; k < count; k++)
                {
                    sum += buffer[k];
                    if (e != null) e[i + k] = buffer[k];
                }
            }
        }
        return sum;
    }

    /// <summary>y *= scale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void FloatScale(float* y, int n, float scale)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            var a = Vector512.Create(scale);
            for (; i <= n - 16; i += 16) (Vector512.Load(y + i) * a).Store(y + i);
        }
        var a8 = Vector256.Create(scale);
        for (; i <= n - 8; i += 8) (Vector256.Load(y + i) * a8).Store(y + i);
        for (; i < n; i++) y[i] *= scale;
    }

    /// <summary>y = (x - max) - logSum, in this order: x - max is exact near the maximum, where log-softmax is small.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void FloatShift(float* x, float* y, int n, float max, float logSum)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            var m = Vector512.Create(max);
            var l = Vector512.Create(logSum);
            for (; i <= n - 16; i += 16) (Vector512.Load(x + i) - m - l).Store(y + i);
        }
        var m8 = Vector256.Create(max);
        var l8 = Vector256.Create(logSum);
        for (; i <= n - 8; i += 8) (Vector256.Load(x + i) - m8 - l8).Store(y + i);
        for (; i < n; i++) y[i] = x[i] - max - logSum;
    }

    static void Row(ReadOnlySpan<T> x, Span<T> y, bool log)
    {
        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        T sum = TensorPrimitives.Sum(y);
        if (log)
        {
            TensorPrimitives.Subtract(x, max, y);
            TensorPrimitives.Subtract(y, T.Log(sum), y);
        }
        else TensorPrimitives.Multiply(y, T.One / sum, y);
    }

    static void Columns(T* x, T* y, long n, int inner, Span<T> max, Span<T> sum, bool log)
    {
        new ReadOnlySpan<T>(x, inner).CopyTo(max);
        for (long j = 1; j < n; j++) TensorPrimitives.Max(max, new ReadOnlySpan<T>(x + j * inner, inner), max);
        sum.Clear();
        for (long j = 0; j < n; j++)
        {
            var yj = new Span<T>(y + j * inner, inner);
            TensorPrimitives.Subtract(new ReadOnlySpan<T>(x + j * inner, inner), max, yj);
            TensorPrimitives.Exp(yj, yj);
            TensorPrimitives.Add(sum, yj, sum);
        }
        if (log)
        {
            TensorPrimitives.Log(sum, sum);
            for (long j = 0; j < n; j++)
            {
                var yj = new Span<T>(y + j * inner, inner);
                TensorPrimitives.Subtract(new ReadOnlySpan<T>(x + j * inner, inner), max, yj);
                TensorPrimitives.Subtract(yj, sum, yj);
            }
        }
        else
        {
            TensorPrimitives.Reciprocal(sum, sum);
            for (long j = 0; j < n; j++)
            {
                var yj = new Span<T>(y + j * inner, inner);
                TensorPrimitives.Multiply(yj, sum, yj);
            }
        }
    }
}
