using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// topk, kthvalue, median, nanmedian and mode: built on the stable sort, so ties resolve by index and CUDA equals
/// the CPU. The gradient goes to the selected elements (PyTorch's value_selecting_reduction_backward).
/// </summary>
internal static class Selection
{
    public static ValuesAndIndices Topk(Tensor x, long k, int dim, bool largest)
    {
        int d = Shapes.WrapDim(dim, x.NDim);
        long size = x.NDim > 0 ? x.ShapeRef[d] : 1;
        if (k < 0 || k > size) throw new ArgumentException("selected index k out of range");
        var sorted = SortedRows.Of(x, d, descending: largest);
        var values = sorted.Restore(sorted.Values.Narrow(1, 0, k));
        var indices = sorted.Restore(sorted.Indices.Narrow(1, 0, k));
        RecordSelection(x, values, indices, "TopkBackward0", d, keepDim: true);
        return new ValuesAndIndices(values, indices);
    }

    public static ValuesAndIndices Kthvalue(Tensor x, long k, int dim, bool keepDim)
    {
        int d = Shapes.WrapDim(dim, x.NDim);
        Reduction.CheckNonEmpty("kthvalue", x, [d], dimGiven: true);
        long size = x.NDim > 0 ? x.ShapeRef[d] : 1;
        if (k < 1 || k > size) throw new ArgumentException($"kthvalue(): selected number k out of range for dimension {d}");
        var result = SortedRows.Of(x, d, descending: false).Pick(k - 1, keepDim);
        RecordSelection(x, result.Values, result.Indices, "KthvalueBackward0", d, keepDim);
        return result;
    }

    /// <summary>
    /// median (lower median; NaN and the first NaN's index when the slice has one) or nanmedian (the lower median
    /// of the numbers; NaN only when all are NaN) along dim.
    /// </summary>
    public static ValuesAndIndices Median(Tensor x, int dim, bool keepDim, bool ignoreNaN)
    {
        int d = Shapes.WrapDim(dim, x.NDim);
        Reduction.CheckNonEmpty(ignoreNaN ? "nanmedian" : "median", x, [d], dimGiven: true);
        var result = MedianOfSorted(SortedRows.Of(x, d, descending: false), keepDim, ignoreNaN);
        RecordSelection(x, result.Values, result.Indices, ignoreNaN ? "NanmedianBackward1" : "MedianBackward1", d, keepDim);
        return result;
    }

    static ValuesAndIndices MedianOfSorted(SortedRows sorted, bool keepDim, bool ignoreNaN)
    {
        using var _ = GradMode.Set(false);
        long n = sorted.Length;
        // NaNs sort last, so the first NaN of a row sits at n - nanCount and the numbers before it
        var nanCount = sorted.Values.Ne(sorted.Values).Sum(1, keepDim: true);
        var numbers = n - nanCount;
        Tensor position = ignoreNaN
            ? (numbers - 1L).Clamp(min: 0L).FloorDivide(2L)
            : nanCount.Gt(0L).To(DType.Int64) * (numbers - (n - 1) / 2) + (n - 1) / 2;
        return sorted.Pick(position, keepDim);
    }

    /// <summary>median() / nanmedian() of all elements: values only; the gradient is shared evenly among equal elements.</summary>
    public static Tensor Median(Tensor x, bool ignoreNaN)
    {
        Tensor y;
        if (x.Numel() == 0)
            y = Torch.Full([], double.NaN, DType.Float32, x.Device).To(x.DType);
        else
            y = MedianOfSorted(SortedRows.Of(x.Detach().Reshape(-1), 0, descending: false), keepDim: false, ignoreNaN).Values;
        if (Graph.ShouldRecord(x))
        {
            var dims = Reduction.Dims(null, x.NDim);
            Graph.Record(y, ignoreNaN ? "NanmedianBackward0" : "MedianBackward0", [x], [x, y], (g, s, _) =>
                [MinMax.EvenlyDistribute(g, s[0], s[1], dims, keepDim: false)]);
        }
        return y;
    }

    /// <summary>The most frequent value along dim (the smallest of equally frequent ones) and the last index holding it.</summary>
    public static ValuesAndIndices Mode(Tensor x, int dim, bool keepDim)
    {
        int d = Shapes.WrapDim(dim, x.NDim);
        Reduction.CheckNonEmpty("mode", x, [d], dimGiven: true);
        var sorted = SortedRows.Of(x, d, descending: false);
        var shape = Reduction.OutputShape(x.ShapeRef, [d], keepDim);
        var values = Tensor.Empty(shape, x.DType, x.Device);
        var indices = Tensor.Empty(shape, DType.Int64, x.Device);
        if (values.Numel() > 0)
            Backend.For(x).ModeOfSorted(values, indices, sorted.Values, sorted.Indices, sorted.Rows, sorted.Length);
        RecordSelection(x, values, indices, "ModeBackward0", d, keepDim);
        return new ValuesAndIndices(values, indices);
    }

    static void RecordSelection(Tensor x, Tensor values, Tensor indices, string name, int dim, bool keepDim)
    {
        if (!Graph.ShouldRecord(x)) return;
        var inShape = x.ShapeRef;
        Graph.Record(values, name, [x], [indices], (g, s, _) => [MinMax.ValueSelectingBackward(g, s[0], inShape, dim, keepDim)]);
    }
}
