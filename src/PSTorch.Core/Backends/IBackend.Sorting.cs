namespace PSTorch.Backends;

/// <summary>
/// Sorting and selection kernels over contiguous [rows, n] blocks (the sorted dim moved last). The order is total:
/// NaN sorts above every number (last ascending, first descending), -0.0 equals 0.0, and equal keys keep their index
/// order in both directions, so every backend gives the same values and indices.
/// </summary>
internal partial interface IBackend
{
    /// <summary>values[r, :] = src[r, :] sorted, indices[r, :] (int64) = their positions in src[r, :]; all contiguous.</summary>
    void Sort(Tensor values, Tensor indices, Tensor src, long rows, long n, bool descending);

    /// <summary>
    /// dst[r, j] (int64 or int32) = the insertion point of values[r, j] in boundaries[r, :] (boundaries[0, :] for every
    /// row when <paramref name="sharedBoundaries"/>): the first i with !(boundaries[i] &lt; v) (left) or
    /// !(boundaries[i] &lt;= v) (right), as PyTorch's binary search compares, so NaN inserts after every number.
    /// values and boundaries share a dtype; all contiguous.
    /// </summary>
    void Searchsorted(Tensor dst, Tensor boundaries, Tensor values, long rows, long boundaryCount, long valuesPerRow, bool sharedBoundaries, bool right);

    /// <summary>
    /// From rows sorted ascending (sortedIndices their original positions): values[r] = the most frequent value of
    /// row r (the smallest of equally frequent ones; NaNs never equal each other), indices[r] = the last original
    /// position holding it. n &gt;= 1; all contiguous.
    /// </summary>
    void ModeOfSorted(Tensor values, Tensor indices, Tensor sortedValues, Tensor sortedIndices, long rows, long n);
}
