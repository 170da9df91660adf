using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// index_fill and index_copy along a dim with a vector of indices (through the scatter kernel, index viewed along
/// the dim), and scatter_reduce's "sum" and "mean" composed of scatter and scatter_add.
/// </summary>
internal static partial class Indexing
{
    /// <summary>x[..., index[i], ...] = value along dim.</summary>
    public static Tensor IndexFill(Tensor x, int dim, Tensor index, double value, bool inPlace)
    {
        Backend.CheckSameDevice(x, index);
        var shape = x.NDim == 0 ? [1] : x.ShapeRef;
        int d = Shapes.WrapDim(dim, shape.Length);
        // index_fill counts negative indices from the end (index_copy does not)
        var vector = IndexVector(index, "index_fill_");
        var idx = Torch.Where(vector.Lt(0), vector + shape[d], vector);
        CheckRange(idx, shape[d], d, inSelf: false);
        if (inPlace)
        {
            if (InPlace.MustRecord(x)) return InPlace.Rebase(x, IndexFill(InPlace.Snapshot(x), d, idx, value, false));
            FillAlong(x, d, idx, value);
            x.BumpVersion();
            return x;
        }
        Tensor y;
        using (GradMode.Set(false)) y = x.Clone();
        FillAlong(y, d, idx, value);
        if (Graph.ShouldRecord(x))
            Graph.Record(y, "IndexFillBackward0", [x], [idx], (g, s, _) => [IndexFill(g, d, s[0], 0, false)]);
        return y;
    }

    /// <summary>x[..., index[i], ...] = source[..., i, ...] along dim.</summary>
    public static Tensor IndexCopy(Tensor x, int dim, Tensor index, Tensor source, bool inPlace)
    {
        Backend.CheckSameDevice(x, index, source);
        var idx = IndexVector(index, "index_copy_");
        if (source.DType != x.DType)
            throw new InvalidOperationException($"index_copy_(): self and source expected to have the same dtype, but got (self) {x.DType.LegacyName()} and (source) {source.DType.LegacyName()}");
        var shape = x.NDim == 0 ? [1] : x.ShapeRef;
        var src = source.NDim == 0 ? source.Reshape(1) : source;
        if (src.NDim != shape.Length)
            throw new ArgumentException($"index_copy_(): When source and destination are not scalars, their dimensionality must match. Source dimensionality ({source.NDim}), destination dimensionality ({x.NDim})");
        int d = Shapes.WrapDim(dim, shape.Length);
        if (src.ShapeRef[d] != idx.Numel())
            throw new ArgumentException($"index_copy_(): Number of indices ({idx.Numel()}) should be equal to source.size(dim) ({src.ShapeRef[d]})");
        for (int i = 0; i < shape.Length; i++)
            if (i != d && src.ShapeRef[i] != shape[i])
                throw new ArgumentException($"index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: {SliceShape(shape, d)} at dimension {d} and source slice shape: {SliceShape(src.ShapeRef, d)} at dimension {d}.");
        CheckRange(idx, shape[d], d, inSelf: false);
        if (inPlace)
        {
            if (InPlace.MustRecord(x, source)) return InPlace.Rebase(x, IndexCopy(InPlace.Snapshot(x), d, idx, source, false));
            CopyAlong(x, d, idx, src);
            x.BumpVersion();
            return x;
        }
        Tensor y;
        using (GradMode.Set(false)) y = x.Clone();
        CopyAlong(y, d, idx, src);
        if (Graph.ShouldRecord(x, source))
        {
            var sourceShape = source.ShapeRef;
            Graph.Record(y, "IndexCopyBackward0", [x, source], [idx], (g, s, n) =>
            [
                n[0] ? IndexFill(g, d, s[0], 0, false) : null,
                n[1] ? g.IndexSelect(d, s[0]).Reshape(sourceShape) : null,
            ]);
        }
        return y;
    }

    /// <summary>
    /// scatter_reduce with "sum" or "mean": the src values scattered onto self (or onto zeros where includeSelf is
    /// false) and added up; "mean" divides by how many values met at each place (floor division for integers).
    /// </summary>
    public static Tensor ScatterReduce(Tensor x, int dim, Tensor index, Tensor src, string reduce, bool includeSelf)
    {
        if (reduce is not ("sum" or "mean"))
            throw new NotSupportedException(reduce is "prod" or "amax" or "amin"
                ? $"scatter_reduce(): reduce=\"{reduce}\" is not supported yet; \"sum\" and \"mean\" are"
                : $"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}");
        var start = includeSelf ? x : Scatter(x, dim, index, 0.0);
        var sum = ScatterAdd(start, dim, index, src);
        if (reduce == "sum") return sum;
        Tensor count;
        using (GradMode.Set(false))
        {
            var ones = Torch.OnesLike(x);
            count = ScatterAdd(includeSelf ? ones : Scatter(ones, dim, index, 0.0), dim, index, Torch.OnesLike(src));
            count = count.MaskedFill(count.Eq(0), 1);
        }
        return x.DType.IsFloatingPoint() ? sum / count : sum.FloorDivide(count);
    }

    static string SliceShape(long[] shape, int dim) => Shapes.Format([.. shape[..dim], .. shape[(dim + 1)..]]);

    /// <summary>The tensor with at least one dimension (a 0-d tensor as a 1-element vector), for the kernels.</summary>
    static Tensor AtLeast1D(Tensor t) => t.NDim == 0 ? t.AsStridedView([1], [1], t.StorageOffset) : t;

    static void FillAlong(Tensor target, int d, Tensor idx, double value)
    {
        var t = AtLeast1D(target);
        if (idx.Numel() == 0 || t.Numel() == 0) return;
        var shape = t.Shape;
        shape[d] = idx.Numel();
        var filler = Torch.Full([], value, t.DType, t.Device);
        Backend.For(t).Scatter(t, d, AlongDim(idx, shape, d), filler.AsStridedView(shape, new long[shape.Length], filler.StorageOffset), false);
    }

    static void CopyAlong(Tensor target, int d, Tensor idx, Tensor src)
    {
        var t = AtLeast1D(target);
        if (src.Numel() == 0) return;
        Backend.For(t).Scatter(t, d, AlongDim(idx, src.ShapeRef, d), src, false);
    }
}
