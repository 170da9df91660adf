using System.Numerics;

namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    /// <summary>Bytes in one row along dimension 0 of a contiguous tensor.</summary>
    static long RowBytes(Tensor t) => t.NDim == 0 || t.ShapeRef[0] == 0 ? 0 : t.Numel() / t.ShapeRef[0] * t.ElementSize();

    public void IndexSelect(Tensor dst, Tensor src, Tensor index)
    {
        long row = RowBytes(src), n = index.Numel();
        byte* d = (byte*)dst.DataPointer, s = (byte*)src.DataPointer;
        long* idx = index.Ptr<long>();
        for (long i = 0; i < n; i++) Buffer.MemoryCopy(s + idx[i] * row, d + i * row, row, row);
    }

    public void IndexCopy(Tensor dst, Tensor index, Tensor src)
    {
        long row = RowBytes(dst), n = index.Numel();
        byte* d = (byte*)dst.DataPointer, s = (byte*)src.DataPointer;
        long* idx = index.Ptr<long>();
        for (long i = 0; i < n; i++) Buffer.MemoryCopy(s + i * row, d + idx[i] * row, row, row);
    }

    public void IndexAdd(Tensor dst, Tensor index, Tensor src)
    {
        switch (dst.DType)
        {
            case DType.Float32: IndexAdd<float>(dst, index, src); break;
            case DType.Float64: IndexAdd<double>(dst, index, src); break;
            case DType.Float16: IndexAdd<Half>(dst, index, src); break;
            case DType.Int64: IndexAdd<long>(dst, index, src); break;
            case DType.BFloat16:
                var f = dst.To(DType.Float32);
                IndexAdd<float>(f, index, src.To(DType.Float32));
                Copy(dst, f);
                break;
            default: throw new NotSupportedException($"index_add is not implemented for dtype {dst.DType.Name()}");
        }
    }

    static void IndexAdd<T>(Tensor dst, Tensor index, Tensor src) where T : unmanaged, INumber<T>
    {
        long row = dst.NDim == 0 || dst.ShapeRef[0] == 0 ? 0 : dst.Numel() / dst.ShapeRef[0], n = index.Numel();
        T* d = dst.Ptr<T>(), s = src.Ptr<T>();
        long* idx = index.Ptr<long>();
        for (long i = 0; i < n; i++)
        {
            T* to = d + idx[i] * row, from = s + i * row;
            for (long k = 0; k < row; k++) to[k] += from[k];
        }
    }

    public Tensor Nonzero(Tensor mask)
    {
        byte* m = (byte*)mask.DataPointer;
        long n = mask.Numel();
        long count = 0;
        for (long i = 0; i < n; i++) if (m[i] != 0) count++;
        int nd = mask.NDim;
        var result = Tensor.Empty([count, nd], DType.Int64, mask.Device);
        long* r = result.Ptr<long>();
        var shape = mask.ShapeRef;
        for (long i = 0; i < n; i++)
        {
            if (m[i] == 0) continue;
            long rest = i;
            for (int d = nd - 1; d >= 0; d--) { r[d] = rest % shape[d]; rest /= shape[d]; }
            r += nd;
        }
        return result;
    }

    public void WrapIndex(Tensor index, long size, int dim)
    {
        long* p = index.Ptr<long>();
        long n = index.Numel();
        for (long i = 0; i < n; i++)
        {
            long v = p[i];
            if (v < -size || v >= size) throw new IndexOutOfRangeException($"index {v} is out of bounds for dimension {dim} with size {size}");
            if (v < 0) p[i] = v + size;
        }
    }
}
