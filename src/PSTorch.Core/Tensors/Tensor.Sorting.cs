using PSTorch.Ops;

namespace PSTorch;

/// <summary>
/// Sorting and selection along a dim. Sorts are always stable (equal elements keep their index order, the result
/// PyTorch gives with stable=True), NaN sorts above every number, and -0.0 equals 0.0.
/// </summary>
public partial class Tensor
{
    /// <summary>The elements sorted along dim and their original indices (int64). <paramref name="stable"/> is accepted for PyTorch's signature: every sort is stable.</summary>
    public ValuesAndIndices Sort(int dim = -1, bool descending = false, bool stable = false) => Ops.Sort.Apply(this, dim, descending);

    /// <summary>The indices that sort the elements along dim.</summary>
    public Tensor Argsort(int dim = -1, bool descending = false, bool stable = false) => Ops.Sort.Argsort(this, dim, descending);

    /// <summary>The elements sorted along dim 0.</summary>
    public Tensor Msort() => Ops.Sort.Apply(this, 0, descending: false).Values;

    /// <summary>The k largest (or smallest) elements along dim and their indices; always in sorted order, ties by index.</summary>
    public ValuesAndIndices Topk(long k, int dim = -1, bool largest = true, bool sorted = true) => Selection.Topk(this, k, dim, largest);

    /// <summary>The k-th smallest element (k from 1) along dim and its index.</summary>
    public ValuesAndIndices Kthvalue(long k, int dim = -1, bool keepDim = false) => Selection.Kthvalue(this, k, dim, keepDim);

    /// <summary>The lower median of all elements (NaN if any element is NaN, or the tensor is empty).</summary>
    public Tensor Median() => Selection.Median(this, ignoreNaN: false);

    /// <summary>The lower median along dim and its index (NaN and the first NaN's index where the slice has a NaN).</summary>
    public ValuesAndIndices Median(int dim, bool keepDim = false) => Selection.Median(this, dim, keepDim, ignoreNaN: false);

    /// <summary>The lower median of all elements that are not NaN.</summary>
    public Tensor Nanmedian() => Selection.Median(this, ignoreNaN: true);

    /// <summary>The lower median along dim ignoring NaN, and its index.</summary>
    public ValuesAndIndices Nanmedian(int dim, bool keepDim = false) => Selection.Median(this, dim, keepDim, ignoreNaN: true);

    /// <summary>The most frequent value along dim (the smallest of equally frequent ones) and the last index holding it.</summary>
    public ValuesAndIndices Mode(int dim = -1, bool keepDim = false) => Selection.Mode(this, dim, keepDim);

    /// <summary>
    /// The unique elements (or slices along <paramref name="dim"/>), in ascending order whatever <paramref name="sorted"/>
    /// says (PyTorch leaves the unsorted order unspecified); Inverse and Counts are filled when asked for.
    /// </summary>
    public UniqueResult Unique(bool sorted = true, bool returnInverse = false, bool returnCounts = false, int? dim = null) =>
        Ops.Unique.Apply(this, returnInverse, returnCounts, dim, consecutive: false);

    /// <summary>The first element (or slice along <paramref name="dim"/>) of every run of consecutive equal ones.</summary>
    public UniqueResult UniqueConsecutive(bool returnInverse = false, bool returnCounts = false, int? dim = null) =>
        Ops.Unique.Apply(this, returnInverse, returnCounts, dim, consecutive: true);
}
