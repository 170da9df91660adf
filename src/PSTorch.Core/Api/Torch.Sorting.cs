namespace PSTorch;

/// <summary>torch.sort, topk, median, unique, searchsorted, bucketize, ...: sorting and selection.</summary>
public static partial class Torch
{
    public static ValuesAndIndices Sort(Tensor input, int dim = -1, bool descending = false, bool stable = false) => input.Sort(dim, descending, stable);
    public static Tensor Argsort(Tensor input, int dim = -1, bool descending = false, bool stable = false) => input.Argsort(dim, descending, stable);
    public static Tensor Msort(Tensor input) => input.Msort();
    public static ValuesAndIndices Topk(Tensor input, long k, int dim = -1, bool largest = true, bool sorted = true) => input.Topk(k, dim, largest, sorted);
    public static ValuesAndIndices Kthvalue(Tensor input, long k, int dim = -1, bool keepDim = false) => input.Kthvalue(k, dim, keepDim);
    public static Tensor Median(Tensor input) => input.Median();
    public static ValuesAndIndices Median(Tensor input, int dim, bool keepDim = false) => input.Median(dim, keepDim);
    public static Tensor Nanmedian(Tensor input) => input.Nanmedian();
    public static ValuesAndIndices Nanmedian(Tensor input, int dim, bool keepDim = false) => input.Nanmedian(dim, keepDim);
    public static ValuesAndIndices Mode(Tensor input, int dim = -1, bool keepDim = false) => input.Mode(dim, keepDim);

    public static UniqueResult Unique(Tensor input, bool sorted = true, bool returnInverse = false, bool returnCounts = false, int? dim = null) =>
        input.Unique(sorted, returnInverse, returnCounts, dim);

    public static UniqueResult UniqueConsecutive(Tensor input, bool returnInverse = false, bool returnCounts = false, int? dim = null) =>
        input.UniqueConsecutive(returnInverse, returnCounts, dim);

    /// <summary>
    /// For every value, the index where it would be inserted into the sorted innermost rows of
    /// <paramref name="sortedSequence"/> (1-D: one sequence for all values) to keep them sorted: before equal
    /// elements (left) or after them (<paramref name="right"/> or side "right").
    /// </summary>
    public static Tensor Searchsorted(Tensor sortedSequence, Tensor values, bool outInt32 = false, bool right = false, string? side = null) =>
        Ops.Searchsorted.Apply(sortedSequence, values, outInt32, right, side);

    /// <summary>The insertion point of one number: a 0-d result, the number taken in the sequence's floating dtype (float64 for integer sequences).</summary>
    public static Tensor Searchsorted(Tensor sortedSequence, double value, bool outInt32 = false, bool right = false, string? side = null) =>
        Ops.Searchsorted.Apply(sortedSequence,
            Full([], value, sortedSequence.DType.IsFloatingPoint() ? sortedSequence.DType : DType.Float64, sortedSequence.Device), outInt32, right, side);

    /// <summary>The bucket of every input element among the 1-D sorted <paramref name="boundaries"/> (searchsorted with the arguments swapped).</summary>
    public static Tensor Bucketize(Tensor input, Tensor boundaries, bool outInt32 = false, bool right = false) =>
        Ops.Searchsorted.Bucketize(input, boundaries, outInt32, right);
}
