namespace PSTorch.Backends;

/// <summary>
/// Gather and scatter along one dimension with int64 indices that the op has already checked to be in range.
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
}
