namespace PSTorch.Backends;

/// <summary>Associative reductions a backend computes along one axis.</summary>
internal enum ReduceOp { Sum, Prod, Max, Min }

/// <summary>
/// Reductions and softmax. The source is a contiguous tensor read as [outer, n, inner] and reduced or
/// normalised along n, so reducing a middle dimension needs no permuted copy; dst is contiguous.
/// </summary>
internal partial interface IBackend
{
    /// <summary>dst[o, i] = op over j of src[o, j, i]; n &gt;= 1; dst has src's dtype. Max/Min propagate NaN.</summary>
    void Reduce(ReduceOp op, Tensor dst, Tensor src, long outer, long n, long inner);

    /// <summary>
    /// indices[o, i] (int64) = the j of the largest (<paramref name="max"/>) or smallest src[o, j, i], first
    /// occurrence on ties, first NaN if any; values (optional, src's dtype) receives that element. n &gt;= 1.
    /// </summary>
    void ArgReduce(bool max, Tensor? values, Tensor indices, Tensor src, long outer, long n, long inner);

    /// <summary>dst = softmax (or log_softmax) of src along n, subtracting the maximum first; floating dtypes.</summary>
    void Softmax(Tensor dst, Tensor src, long outer, long n, long inner, bool log);
}
