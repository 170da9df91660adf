namespace PSTorch.Backends;

/// <summary>
/// Gather and scatter along one dimension with int64 indices that the op has already checked to be in range,
/// and the index preparation of advanced indexing.
/// </summary>
internal partial interface IBackend
{
    /// <summary>dst[p] = src[p with coordinate dim replaced by index[p]], for every position p of dst (index has dst's shape, possibly expanded).</summary>
    void Gather(Tensor dst, Tensor src, int dim, Tensor index);

    /// <summary>
    /// dst[p with coordinate dim replaced by index[p]] = src[p] (or += when <paramref name="accumulate"/>), for every
    /// position p of index; src is viewed with index's shape. Several positions may target one element.
    /// </summary>
    void Scatter(Tensor dst, int dim, Tensor index, Tensor src, bool accumulate);

    /// <summary>The coordinates of the true elements of a contiguous bool mask, as an int64 tensor [count, ndim] in row-major order.</summary>
    Tensor Nonzero(Tensor mask);

    /// <summary>Wraps negative entries of a contiguous int64 index in place; out-of-range entries raise PyTorch's IndexError message.</summary>
    void WrapIndex(Tensor index, long size, int dim);
}
