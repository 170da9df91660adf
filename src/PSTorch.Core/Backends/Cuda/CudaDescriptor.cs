using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>
/// Builds the pst_tensor descriptors CUDA kernels read: a pure function of the storage pointer and the view's
/// metadata (offset, dtype, sizes, strides in elements), so it is tested on CPU tensors without a GPU.
/// </summary>
internal static unsafe class CudaDescriptor
{
    /// <summary>data = storage + offset * element size; sizes and strides copied; at most PST_MAX_DIMS dimensions.</summary>
    public static PstTensor Build(void* storage, long offset, DType dtype, ReadOnlySpan<long> sizes, ReadOnlySpan<long> strides)
    {
        if (sizes.Length != strides.Length)
            throw new ArgumentException($"a tensor descriptor needs one stride per size, got {sizes.Length} sizes and {strides.Length} strides");
        if (sizes.Length > PstorchCuda.MaxDims)
            throw new NotSupportedException(
                $"CUDA kernels take tensors of at most {PstorchCuda.MaxDims} dimensions, but this one has {sizes.Length}; reshape it first");
        var d = new PstTensor
        {
            Data = (byte*)storage + offset * dtype.ElementSize(),
            Dtype = CudaOpCodes.Of(dtype),
            Ndim = sizes.Length,
        };
        for (int i = 0; i < sizes.Length; i++)
        {
            d.Sizes[i] = sizes[i];
            d.Strides[i] = strides[i];
        }
        return d;
    }
}
