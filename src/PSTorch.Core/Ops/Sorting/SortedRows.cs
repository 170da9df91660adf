using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// A tensor sorted along one dim, laid out as contiguous [rows, n] with the sorted dim moved last (a 0-d tensor is
/// one row of one element): the common step of sort, topk, kthvalue, median, mode and unique. No autograd; the ops
/// record their own backward.
/// </summary>
internal sealed class SortedRows
{
    public Tensor Values { get; }
    public Tensor Indices { get; }
    public long Rows => Values.ShapeRef[0];
    public long Length => Values.ShapeRef[1];

    readonly long[] inputShape;
    readonly int dim;
    readonly long[] movedOuterShape;
    readonly int[] inverseOrder;

    SortedRows(Tensor values, Tensor indices, long[] inputShape, int dim, long[] movedOuterShape, int[] inverseOrder)
    {
        (Values, Indices) = (values, indices);
        (this.inputShape, this.dim, this.movedOuterShape, this.inverseOrder) = (inputShape, dim, movedOuterShape, inverseOrder);
    }

    /// <summary>x sorted along the already wrapped dim <paramref name="dim"/>, stably (ties keep index order).</summary>
    public static SortedRows Of(Tensor x, int dim, bool descending)
    {
        using var _ = GradMode.Set(false);
        var src = x.NDim == 0 ? x.Detach().Reshape(1) : x.Detach();
        int nd = src.NDim;
        var order = Enumerable.Range(0, nd).Where(i => i != dim).Append(dim).ToArray();
        var inverse = new int[nd];
        for (int i = 0; i < nd; i++) inverse[order[i]] = i;
        var outer = order[..^1].Select(i => src.ShapeRef[i]).ToArray();
        long rows = Shapes.Numel(outer), n = src.ShapeRef[dim];
        var values = Tensor.Empty([rows, n], x.DType, x.Device);
        var indices = Tensor.Empty([rows, n], DType.Int64, x.Device);
        if (rows * n > 0)
        {
            var moved = src.Permute(order).Contiguous();
            Backend.For(x).Sort(values, indices, moved, rows, n, descending);
        }
        return new SortedRows(values, indices, x.ShapeRef, dim, outer, inverse);
    }

    /// <summary>A [rows, m] tensor (m sorted positions per row) back in the input's dim order, contiguous.</summary>
    public Tensor Restore(Tensor rowsTensor)
    {
        using var _ = GradMode.Set(false);
        var moved = rowsTensor.Reshape([.. movedOuterShape, rowsTensor.ShapeRef[1]]);
        var restored = moved.Permute(inverseOrder).Contiguous();
        return inputShape.Length == 0 && restored.Numel() == 1 ? restored.Reshape([]) : restored;
    }

    /// <summary>The element at sorted position positions[r, 0] of every row, shaped as a reduction over the dim.</summary>
    public ValuesAndIndices Pick(Tensor positions, bool keepDim)
    {
        using var _ = GradMode.Set(false);
        var shape = Reduction.OutputShape(inputShape, [dim], keepDim);
        return new ValuesAndIndices(Values.Gather(1, positions).Reshape(shape), Indices.Gather(1, positions).Reshape(shape));
    }

    /// <summary>The same sorted position <paramref name="position"/> in every row.</summary>
    public ValuesAndIndices Pick(long position, bool keepDim) =>
        Pick(Torch.Full([Rows, 1], position, DType.Int64, Values.Device), keepDim);
}
