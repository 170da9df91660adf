using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>Gather/scatter along a dim, index wrapping and nonzero (indexing.cu).</summary>
internal sealed unsafe partial class CudaBackend
{
    public void Gather(Tensor dst, Tensor src, int dim, Tensor index)
    {
        var device = Enter(dst);
        var (d, s, i) = (Describe(dst, device), Describe(src, device), Describe(index, device));
        Check(PstorchCuda.Gather(&d, &s, &i, dim, Stream));
    }

    /// <summary>
    /// As the CPU: src is read with index's shape, bool has no scatter_add, and bfloat16 accumulates in float32 (one
    /// rounding at the end). Positions sharing a target are added atomically in no fixed order; a plain scatter to a
    /// shared target keeps one of the values (PyTorch's CUDA scatter does the same; the CPU keeps the last).
    /// </summary>
    public void Scatter(Tensor dst, int dim, Tensor index, Tensor src, bool accumulate)
    {
        if (accumulate && dst.DType == DType.Bool) throw new NotSupportedException($"scatter_add is not implemented for dtype {dst.DType.Name()}");
        if (accumulate && dst.DType == DType.BFloat16)
        {
            using var wide = dst.To(DType.Float32, copy: true);
            using var values = src.To(DType.Float32);
            Scatter(wide, dim, index, values, accumulate: true);
            Copy(dst, wide);
            return;
        }
        var device = Enter(dst);
        var (d, i) = (Describe(dst, device), Describe(index, device));
        var s = Describe(src.AsStridedView(index.ShapeRef, src.StridesRef, src.StorageOffset), device);
        Check(PstorchCuda.Scatter(&d, &i, &s, dim, accumulate ? 1 : 0, Stream));
    }

    /// <summary>The count comes back to the host (a synchronisation, as in PyTorch) to size the result.</summary>
    public Tensor Nonzero(Tensor mask)
    {
        var device = Enter(mask);
        var m = Describe(mask, device);
        using var count = Tensor.Empty([], DType.Int64, device);
        Check(PstorchCuda.NonzeroCount(&m, (long*)count.DataPointer, Stream));
        long found = count.Item<long>();
        var coordinates = Tensor.Empty([found, mask.NDim], DType.Int64, device);
        if (found > 0) Check(PstorchCuda.Nonzero(&m, (long*)coordinates.DataPointer, found, Stream));
        return coordinates;
    }

    /// <summary>
    /// The kernel reports the first out-of-range position through a device scalar (read here: a synchronisation);
    /// that entry is left unwrapped, so its value gives the CPU's message.
    /// </summary>
    public void WrapIndex(Tensor index, long size, int dim)
    {
        var device = Enter(index);
        using var firstInvalid = Tensor.Empty([], DType.Int64, device);
        Check(PstorchCuda.WrapIndex((long*)index.DataPointer, index.Numel(), size, (long*)firstInvalid.DataPointer, Stream));
        long at = firstInvalid.Item<long>();
        if (at < 0) return;
        long value = index.Reshape(-1).Select(0, at).Item<long>();
        throw new IndexOutOfRangeException($"index {value} is out of bounds for dimension {dim} with size {size}");
    }
}
