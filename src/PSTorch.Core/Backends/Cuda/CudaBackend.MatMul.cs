using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>Batched matrix products through cuBLAS (pst_gemm_strided_batched).</summary>
internal sealed unsafe partial class CudaBackend
{
    /// <summary>How one [batch, rows, cols] operand reaches cuBLAS: whether it is read transposed, its row and batch strides.</summary>
    internal readonly record struct GemmOperand(bool Transposed, long LeadingDimension, long BatchStride);

    /// <summary>
    /// The GEMM layout of a [batch, rows, cols] view with these strides, or null when cuBLAS cannot read it as it is
    /// (neither its rows nor its columns are unit-stride with a valid leading dimension): then it is copied contiguous first.
    /// A pure function of the metadata, tested without a GPU.
    /// </summary>
    internal static GemmOperand? GemmLayout(ReadOnlySpan<long> sizes, ReadOnlySpan<long> strides)
    {
        long batch = sizes[0], rows = sizes[1], cols = sizes[2];
        long batchStride = batch > 1 ? strides[0] : 0;
        if (batchStride < 0) return null;
        // Row-major as it is: unit column stride; the row stride is the leading dimension (any value >= cols serves a single row).
        if ((strides[2] == 1 || cols <= 1) && (rows <= 1 || strides[1] >= Math.Max(cols, 1)))
            return new GemmOperand(false, rows <= 1 ? Math.Max(cols, 1) : strides[1], batchStride);
        // A transposed row-major matrix: unit row stride, the column stride is the leading dimension of the stored [cols, rows].
        if ((strides[1] == 1 || rows <= 1) && (cols <= 1 || strides[2] >= Math.Max(rows, 1)))
            return new GemmOperand(true, cols <= 1 ? Math.Max(rows, 1) : strides[2], batchStride);
        return null;
    }

    public void BatchedMatMul(Tensor dst, Tensor a, Tensor b, bool accumulate = false)
    {
        var device = Enter(dst);
        SameDevice(device, a, b);
        if (dst.DType is not (DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16))
            throw new NotSupportedException($"\"addmm_cuda\" not implemented for '{dst.DType.LegacyName()}'");
        long batch = dst.ShapeRef[0], m = dst.ShapeRef[1], n = dst.ShapeRef[2], k = a.ShapeRef[2];
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) Fill(dst, 0);
            return;
        }
        var (pa, la, ownA) = GemmInput(a);
        var (pb, lb, ownB) = GemmInput(b);
        try
        {
            Check(PstorchCuda.GemmStridedBatched(CudaOpCodes.Of(dst.DType), la.Transposed ? 1 : 0, lb.Transposed ? 1 : 0, m, n, k,
                1.0, (void*)pa, la.LeadingDimension, la.BatchStride, (void*)pb, lb.LeadingDimension, lb.BatchStride,
                accumulate ? 1.0 : 0.0, dst.DataPointer, n, m * n, batch, Stream));
        }
        finally
        {
            // stream-ordered frees: the copies stay valid until the GEMM queued before them has run
            ownA?.Dispose();
            ownB?.Dispose();
        }
    }

    /// <summary>The operand's device pointer and layout, through a contiguous copy (returned for disposal) when cuBLAS cannot read it directly.</summary>
    static (nint pointer, GemmOperand layout, Tensor? copy) GemmInput(Tensor t)
    {
        if (GemmLayout(t.ShapeRef, t.StridesRef) is { } layout) return ((nint)t.DataPointer, layout, null);
        var copy = Tensor.Empty(t.ShapeRef, t.DType, t.Device);
        Instance.Copy(copy, t);
        return ((nint)copy.DataPointer, GemmLayout(copy.ShapeRef, copy.StridesRef)!.Value, copy);
    }
}
