using System.Numerics;
using System.Numerics.Tensors;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Softmax and log-softmax of a contiguous [outer, n, inner] block along n: the maximum is subtracted before
/// exponentiating so large inputs do not overflow. Rows (inner = 1) are vectorised along n; otherwise along inner.
/// </summary>
internal static unsafe class SoftmaxKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Run(T* src, T* dst, long outer, long n, long inner, bool log)
    {
        long total = outer * n * inner;
        int workers = total >= StridedLoop.ParallelThreshold ? (int)Math.Min(CpuThreads.Count, outer) : 1;
        if (workers <= 1) { Block(src, dst, 0, outer, n, inner, log); return; }
        Parallel.For(0, workers, CpuThreads.ParallelOptions, w => Block(src, dst, outer * w / workers, outer * (w + 1) / workers, n, inner, log));
    }

    static void Block(T* src, T* dst, long o0, long o1, long n, long inner, bool log)
    {
        if (inner == 1)
        {
            for (long o = o0; o < o1; o++) Row(new ReadOnlySpan<T>(src + o * n, (int)n), new Span<T>(dst + o * n, (int)n), log);
            return;
        }
        var max = new T[inner];
        var sum = new T[inner];
        for (long o = o0; o < o1; o++) Columns(src + o * n * inner, dst + o * n * inner, n, (int)inner, max, sum, log);
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
