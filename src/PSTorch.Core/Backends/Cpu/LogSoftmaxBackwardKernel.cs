using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// gx = g - exp(y) * sum(g along n) over contiguous [outer, n, inner] blocks, in one pass per block instead of the
/// four allocating (and, for the broadcast product, row-by-row) ops of the composed formula.
/// </summary>
internal static unsafe class LogSoftmaxBackwardKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    const int ShortRow = 16;

    public static void Run(T* g, T* y, T* gx, long outer, long n, long inner)
    {
        long total = outer * n * inner;
        int workers = total >= StridedLoop.ParallelThreshold ? (int)Math.Min(CpuThreads.Count, outer) : 1;
        if (workers <= 1) { Block(g, y, gx, 0, outer, n, inner); return; }
        CpuThreads.For(workers, w => Block(g, y, gx, outer * w / workers, outer * (w + 1) / workers, n, inner));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Block(T* g, T* y, T* gx, long o0, long o1, long n, long inner)
    {
        long blockSize = n * inner;
        // exp(y) into gx for many blocks per call: one vectorised pass, not one short call per block
        long blocksPerCall = Math.Max(1, int.MaxValue / blockSize);
        for (long o = o0; o < o1; o += blocksPerCall)
        {
            int len = (int)(Math.Min(blocksPerCall, o1 - o) * blockSize);
            TensorPrimitives.Exp(new ReadOnlySpan<T>(y + o * blockSize, len), new Span<T>(gx + o * blockSize, len));
        }
        var sum = inner > 1 ? new T[inner] : null;
        for (long o = o0; o < o1; o++)
        {
            T* gb = g + o * blockSize, eb = gx + o * blockSize;
            if (sum == null && n < ShortRow)
            {
                // a classifier's 10 logits: plain loops beat two span calls' set-up per row
                T s = T.Zero;
                for (int k = 0; k < n; k++) s += gb[k];
                for (int k = 0; k < n; k++) eb[k] = gb[k] - eb[k] * s;
                continue;
            }
            if (sum == null)
            {
                T s = TensorPrimitives.Sum(new ReadOnlySpan<T>(gb, (int)n));
                // gx = e * (-s) + g, in place over e
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(eb, (int)n), -s, new ReadOnlySpan<T>(gb, (int)n), new Span<T>(eb, (int)n));
                continue;
            }
            Array.Clear(sum);
            for (long j = 0; j < n; j++) TensorPrimitives.Add(sum, new ReadOnlySpan<T>(gb + j * inner, (int)inner), sum);
            for (long j = 0; j < n; j++)
            {
                var e = new Span<T>(eb + j * inner, (int)inner);
                TensorPrimitives.Multiply(e, sum, e);
                TensorPrimitives.Subtract(new ReadOnlySpan<T>(gb + j * inner, (int)inner), e, e);
            }
        }
    }
}
