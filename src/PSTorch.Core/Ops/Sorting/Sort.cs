using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>sort, argsort and msort: always stable (ties keep index order), NaN sorted above every number.</summary>
internal static class Sort
{
    public static ValuesAndIndices Apply(Tensor x, int dim, bool descending)
    {
        int d = Shapes.WrapDim(dim, x.NDim);
        var sorted = SortedRows.Of(x, d, descending);
        var values = sorted.Restore(sorted.Values);
        var indices = sorted.Restore(sorted.Indices);
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            Graph.Record(values, "SortBackward0", [x], [indices], (g, s, _) =>
                [MinMax.ValueSelectingBackward(g, s[0], inShape, d, keepDim: true)]);
        }
        return new ValuesAndIndices(values, indices);
    }

    public static Tensor Argsort(Tensor x, int dim, bool descending)
    {
        int d = Shapes.WrapDim(dim, x.NDim);
        var sorted = SortedRows.Of(x, d, descending);
        return sorted.Restore(sorted.Indices);
    }
}
