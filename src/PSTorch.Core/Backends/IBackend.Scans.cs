namespace PSTorch.Backends;

/// <summary>The inclusive scans: cumsum, cumprod, cummax, cummin, logcumsumexp.</summary>
internal enum ScanOp { Sum, Prod, Max, Min, LogSumExp }

/// <summary>Scans along one axis of a contiguous tensor read as [outer, n, inner].</summary>
internal partial interface IBackend
{
    /// <summary>
    /// dst[o, j, i] = op over k &lt;= j of src[o, k, i]; dst is contiguous with src's shape and dtype. Sum and Prod
    /// take int64 or floating dtypes, LogSumExp floating ones; floating float32 sums accumulate as PyTorch's backend
    /// does. Max/Min write to <paramref name="indices"/> (int64, contiguous) the k of the running extreme: the last
    /// on ties, NaN propagating (PyTorch's cummax/cummin); indices is null for the other ops.
    /// </summary>
    void Scan(ScanOp op, Tensor dst, Tensor? indices, Tensor src, long outer, long n, long inner);
}
