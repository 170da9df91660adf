using PSTorch.Autograd;

namespace PSTorch.Data;

/// <summary>Copies selected rows (first dimension) of a tensor into a new batch tensor, as index_select(0, ...) does.</summary>
internal static class RowGather
{
    public static Tensor Gather(Tensor source, IReadOnlyList<int> rows)
    {
        var shape = source.Shape;
        shape[0] = rows.Count;
        var batch = Tensor.Empty(shape, source.DType, source.Device);
        using (GradMode.Set(false))
            for (int i = 0; i < rows.Count; i++) batch.Select(0, i).CopyFrom(source.Select(0, rows[i]));
        return batch;
    }
}
