using PSTorch.Autograd;

namespace PSTorch.Data;

/// <summary>Copies selected rows (first dimension) of a tensor into a new batch tensor, as index_select(0, ...) does.</summary>
internal static class RowGather
{
    public static Tensor Gather(Tensor source, IReadOnlyList<int> rows)
    {
        using var noGrad = GradMode.Set(false);
        // A dataset kept resident in GPU memory: one index upload and one gather kernel instead of a copy launch per row.
        if (source.IsCuda)
        {
            var index = new long[rows.Count];
            for (int i = 0; i < index.Length; i++) index[i] = rows[i];
            return source.IndexSelect(0, Torch.FromArray(index).To(source.Device));
        }
        var shape = source.Shape;
        shape[0] = rows.Count;
        var batch = Tensor.Empty(shape, source.DType, source.Device);
        for (int i = 0; i < rows.Count; i++) batch.Select(0, i).CopyFrom(source.Select(0, rows[i]));
        return batch;
    }
}
