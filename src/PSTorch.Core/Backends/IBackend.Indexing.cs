namespace PSTorch.Backends;

/// <summary>Kernels of advanced indexing. Index tensors are contiguous int64, already checked to be in range.</summary>
internal partial interface IBackend
{
    /// <summary>dst[i, ...] = src[index[i], ...]: contiguous dst and src of one dtype, read as rows along dimension 0.</summary>
    void IndexSelect(Tensor dst, Tensor src, Tensor index);

    /// <summary>dst[index[i], ...] = src[i, ...] (the last write wins for repeated indices); contiguous, one dtype.</summary>
    void IndexCopy(Tensor dst, Tensor index, Tensor src);

    /// <summary>dst[index[i], ...] += src[i, ...] (repeated indices accumulate); contiguous, one floating or int64 dtype.</summary>
    void IndexAdd(Tensor dst, Tensor index, Tensor src);

    /// <summary>The coordinates of the true elements of a contiguous bool mask, as an int64 tensor [count, ndim] in row-major order.</summary>
    Tensor Nonzero(Tensor mask);

    /// <summary>Wraps negative entries of a contiguous int64 index in place; out-of-range entries raise PyTorch's IndexError message.</summary>
    void WrapIndex(Tensor index, long size, int dim);
}
