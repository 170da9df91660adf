using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// unique and unique_consecutive, of all elements or of the slices along a dim, composed from device ops: sort,
/// mark where a run of equal values starts (NaN never equals NaN, so every NaN is its own value, as in PyTorch),
/// take the run starts with nonzero, and find each element's run by a binary search among the starts.
/// </summary>
internal static class Unique
{
    /// <summary>Unique values always come out sorted (PyTorch's sorted=False leaves the order unspecified).</summary>
    public static UniqueResult Apply(Tensor x, bool returnInverse, bool returnCounts, int? dim, bool consecutive)
    {
        using var _ = GradMode.Set(false);
        var input = x.Detach();
        if (dim == null)
        {
            var flat = input.Reshape(-1);
            long n = flat.Numel();
            Tensor values, order;
            if (consecutive) (values, order) = (flat, Torch.Arange(n, DType.Int64, x.Device));
            else
            {
                var sorted = SortedRows.Of(flat, 0, descending: false);
                (values, order) = (sorted.Values.Reshape(-1), sorted.Indices.Reshape(-1));
            }
            var starts = RunStarts(n == 0 ? values : values.Narrow(0, 1, n - 1).Ne(values.Narrow(0, 0, n - 1)), n, x.Device);
            return Result(values.IndexSelect(0, starts), starts, order, n, x.ShapeRef, returnInverse, returnCounts);
        }
        int d = Shapes.WrapDim(dim.Value, x.NDim);
        if (x.NDim == 0) throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [-1, 0], but got {dim.Value})");
        var slices = input.Movedim(d, 0);
        long count = slices.ShapeRef[0];
        var rows = slices.Reshape(count, -1);
        var rowOrder = consecutive ? Torch.Arange(count, DType.Int64, x.Device) : LexicographicOrder(rows);
        var orderedRows = rows.IndexSelect(0, rowOrder);
        var differs = count == 0 ? Tensor.Empty([0], DType.Bool, x.Device)
            : orderedRows.Narrow(0, 1, count - 1).Ne(orderedRows.Narrow(0, 0, count - 1)).Any(1);
        var rowStarts = RunStarts(differs, count, x.Device);
        var uniqueSlices = slices.IndexSelect(0, rowOrder.IndexSelect(0, rowStarts)).Movedim(0, d).Contiguous();
        return Result(uniqueSlices, rowStarts, rowOrder, count, [count], returnInverse, returnCounts);
    }

    /// <summary>The int64 positions where a run starts: 0, and every i with differsFromPrevious[i - 1].</summary>
    static Tensor RunStarts(Tensor differsFromPrevious, long n, Device device)
    {
        if (n == 0) return Tensor.Empty([0], DType.Int64, device);
        var isStart = Torch.Cat([Torch.Full([1], 1, DType.Bool, device), differsFromPrevious.To(DType.Bool)]).Contiguous();
        return Backend.For(isStart).Nonzero(isStart).Reshape(-1);
    }

    /// <summary>Rows ordered lexicographically (NaN above numbers) by stable sorts from the last column to the first.</summary>
    static Tensor LexicographicOrder(Tensor rows)
    {
        long count = rows.ShapeRef[0];
        var order = Torch.Arange(count, DType.Int64, rows.Device);
        for (long column = rows.ShapeRef[1] - 1; column >= 0; column--)
        {
            var key = rows.Select(1, column).IndexSelect(0, order);
            order = order.IndexSelect(0, Sort.Argsort(key, 0, descending: false));
        }
        return order;
    }

    /// <summary>
    /// From the run starts of the ordered values (order[j]: the input position of ordered element j): counts are the
    /// gaps between starts, and ordered element j belongs to the last start &lt;= j.
    /// </summary>
    static UniqueResult Result(Tensor values, Tensor starts, Tensor order, long n, long[] inverseShape, bool returnInverse, bool returnCounts)
    {
        Tensor? inverse = null, counts = null;
        if (returnCounts)
        {
            long runs = starts.ShapeRef[0];
            counts = runs == 0 ? Tensor.Empty([0], DType.Int64, starts.Device)
                : Torch.Cat([starts.Narrow(0, 1, runs - 1), Torch.Full([1], n, DType.Int64, starts.Device)]) - starts;
        }
        if (returnInverse)
        {
            var runOfOrdered = Searchsorted.Apply(starts, Torch.Arange(n, DType.Int64, starts.Device), outInt32: false, right: true, side: null) - 1L;
            inverse = Torch.Zeros([n], DType.Int64, starts.Device).Scatter(0, order, runOfOrdered).Reshape(inverseShape);
        }
        return new UniqueResult(values, inverse, counts);
    }
}
