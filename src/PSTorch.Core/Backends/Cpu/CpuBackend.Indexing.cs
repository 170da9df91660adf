using System.Numerics;

namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Gather(Tensor dst, Tensor src, int dim, Tensor index)
    {
        long dimStride = src.StridesRef[dim];
        var lines = LineView(src, dst.ShapeRef, dim);
        switch (dst.DType.ElementSize())
        {
            case 1: Run(new GatherRow<byte> { DimStride = dimStride }, dst, lines, index); break;
            case 2: Run(new GatherRow<short> { DimStride = dimStride }, dst, lines, index); break;
            case 4: Run(new GatherRow<int> { DimStride = dimStride }, dst, lines, index); break;
            default: Run(new GatherRow<long> { DimStride = dimStride }, dst, lines, index); break;
        }
    }

    public void Scatter(Tensor dst, int dim, Tensor index, Tensor src, bool accumulate)
    {
        long dimStride = dst.StridesRef[dim];
        var lines = LineView(dst, index.ShapeRef, dim);
        var values = src.AsStridedView(index.ShapeRef, src.StridesRef, src.StorageOffset);
        if (!accumulate)
        {
            switch (dst.DType.ElementSize())
            {
                case 1: Run(new ScatterRow<byte> { DimStride = dimStride }, parallel: false, [lines, values, index]); break;
                case 2: Run(new ScatterRow<short> { DimStride = dimStride }, parallel: false, [lines, values, index]); break;
                case 4: Run(new ScatterRow<int> { DimStride = dimStride }, parallel: false, [lines, values, index]); break;
                default: Run(new ScatterRow<long> { DimStride = dimStride }, parallel: false, [lines, values, index]); break;
            }
            return;
        }
        switch (dst.DType)
        {
            case DType.Float32: ScatterAdd<float>(dimStride, lines, values, index); break;
            case DType.Float64: ScatterAdd<double>(dimStride, lines, values, index); break;
            case DType.Float16: ScatterAdd<Half>(dimStride, lines, values, index); break;
            case DType.BFloat16:
                var f = dst.To(DType.Float32, copy: true);
                Scatter(f, dim, index, src.To(DType.Float32), accumulate: true);
                Copy(dst, f);
                break;
            case DType.Int64: ScatterAdd<long>(dimStride, lines, values, index); break;
            case DType.Int32: ScatterAdd<int>(dimStride, lines, values, index); break;
            case DType.Int16: ScatterAdd<short>(dimStride, lines, values, index); break;
            case DType.Int8: ScatterAdd<sbyte>(dimStride, lines, values, index); break;
            case DType.UInt8: ScatterAdd<byte>(dimStride, lines, values, index); break;
            default: throw new NotSupportedException($"scatter_add is not implemented for dtype {dst.DType.Name()}");
        }
    }

    static void ScatterAdd<T>(long dimStride, Tensor lines, Tensor values, Tensor index) where T : unmanaged, INumber<T> =>
        Run(new ScatterAddRow<T> { DimStride = dimStride }, parallel: false, [lines, values, index]);

    /// <summary>t viewed with <paramref name="shape"/> and a zero stride at dim: each position points at the start of its line along dim.</summary>
    static Tensor LineView(Tensor t, long[] shape, int dim)
    {
        var strides = (long[])t.StridesRef.Clone();
        strides[dim] = 0;
        return t.AsStridedView(shape, strides, t.StorageOffset);
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
