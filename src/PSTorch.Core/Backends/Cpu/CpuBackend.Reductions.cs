using System.Numerics;
using System.Numerics.Tensors;

namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void SumRows(Tensor dst, Tensor src, long rows, long n)
    {
        switch (dst.DType)
        {
            case DType.Float32: SumRows<float>(dst, src, rows, n); break;
            case DType.Float64: SumRows<double>(dst, src, rows, n); break;
            case DType.Float16: SumRowsVia32(dst, src, rows, n); break;
            case DType.BFloat16: SumRowsVia32(dst, src, rows, n); break;
            case DType.Int64: SumRows<long>(dst, src, rows, n); break;
            default: throw new NotSupportedException($"sum is not implemented for dtype {dst.DType.Name()}");
        }
    }

    /// <summary>Half-precision sums accumulate in float32, as PyTorch's CPU kernels do.</summary>
    void SumRowsVia32(Tensor dst, Tensor src, long rows, long n)
    {
        var f = Tensor.Empty(dst.ShapeRef, DType.Float32, dst.Device);
        SumRows<float>(f, src.To(DType.Float32), rows, n);
        Copy(dst, f);
    }

    static void SumRows<T>(Tensor dst, Tensor src, long rows, long n) where T : unmanaged, INumber<T>
    {
        T* s = src.Ptr<T>();
        T* d = dst.Ptr<T>();
        if (rows == 1 && n >= StridedLoop.ParallelThreshold * 4)
        {
            // one long row: each core sums a half, then the halves are added
            int workers = CpuThreads.Count;
            var partial = new T[workers];
            Parallel.For(0, workers, CpuThreads.ParallelOptions, w =>
            {
                long a = n * w / workers, b = n * (w + 1) / workers;
                partial[w] = PairwiseSum(s + a, b - a);
            });
            T total = T.Zero;
            foreach (var p in partial) total += p;
            *d = total;
            return;
        }
        if (rows * n >= StridedLoop.ParallelThreshold && rows > 1)
            Parallel.For(0, rows, CpuThreads.ParallelOptions, r => d[r] = PairwiseSum(s + r * n, n));
        else
            for (long r = 0; r < rows; r++) d[r] = PairwiseSum(s + r * n, n);
    }

    /// <summary>Pairwise summation over vectorised blocks: error grows like O(log n), as in PyTorch's cascade sum.</summary>
    static T PairwiseSum<T>(T* p, long n) where T : unmanaged, INumber<T>
    {
        const long Block = 4096;
        if (n <= Block) return TensorPrimitives.Sum(new ReadOnlySpan<T>(p, (int)n));
        long half = n / 2 / Block * Block;
        if (half == 0) half = n / 2;
        return PairwiseSum(p, half) + PairwiseSum(p + half, n - half);
    }
}
