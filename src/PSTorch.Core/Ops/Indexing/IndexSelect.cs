using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>index_select and index_add along a dim with a vector of indices, and their gradients.</summary>
internal static partial class Indexing
{
    public static Tensor IndexSelect(Tensor x, int dim, Tensor index)
    {
        Backend.CheckSameDevice(x, index);
        var idx = IndexVector(index, "index_select");
        if (x.NDim == 0) return IndexSelect(x.Reshape(1), 0, idx).Reshape([]);
        int d = Shapes.WrapDim(dim, x.NDim);
        CheckRange(idx, x.ShapeRef[d], d, inSelf: true);
        var shape = x.Shape;
        shape[d] = idx.Numel();
        var y = Tensor.Empty(shape, x.DType, x.Device);
        if (y.Numel() > 0) Backend.For(x).Gather(y, x, d, AlongDim(idx, shape, d));
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            Graph.Record(y, "IndexSelectBackward0", [x], [idx], (g, s, _) => [IndexAdd(Torch.Zeros(inShape, g.DType, g.Device), d, s[0], g, 1, false)]);
        }
        return y;
    }

    /// <summary>x[..., index[i], ...] += alpha * source[..., i, ...] along dim (index_add / index_add_).</summary>
    public static Tensor IndexAdd(Tensor x, int dim, Tensor index, Tensor source, double alpha, bool inPlace)
    {
        Backend.CheckSameDevice(x, index, source);
        var idx = IndexVector(index, "index_add_");
        int d = Shapes.WrapDim(dim, x.NDim);
        if (source.DType != x.DType)
            throw new InvalidOperationException($"index_add_(): self ({x.DType.LegacyName()}) and source ({source.DType.LegacyName()}) must have the same scalar type");
        var src = source.NDim == 0 && x.NDim <= 1 ? source.Reshape(1) : source;
        var selfShape = x.NDim == 0 ? [1] : x.ShapeRef;
        if (src.NDim != selfShape.Length || Enumerable.Range(0, src.NDim).Any(i => i != d && src.ShapeRef[i] != selfShape[i]))
            throw new ArgumentException($"source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = {Shapes.Format(x.ShapeRef)} source.shape = {Shapes.Format(source.ShapeRef)}");
        if (src.ShapeRef[d] != idx.Numel())
            throw new ArgumentException($"index_add_(): Number of indices ({idx.Numel()}) should be equal to source.size(dim) ({src.ShapeRef[d]})");
        CheckRange(idx, selfShape[d], d, inSelf: true);
        if (inPlace)
        {
            if (InPlace.MustRecord(x, source)) return InPlace.Rebase(x, IndexAdd(InPlace.Snapshot(x), d, idx, source, alpha, false));
            AddInto(x, d, idx, src, alpha);
            x.BumpVersion();
            return x;
        }
        Tensor y;
        using (GradMode.Set(false)) y = x.Clone();
        AddInto(y, d, idx, src, alpha);
        if (Graph.ShouldRecord(x, source))
        {
            var sourceShape = source.ShapeRef;
            Graph.Record(y, "IndexAddBackward0", [x, source], [idx], (g, s, n) =>
            [
                n[0] ? g : null,
                n[1] ? (alpha == 1 ? g.IndexSelect(d, s[0]) : g.IndexSelect(d, s[0]) * alpha).Reshape(sourceShape) : null,
            ]);
        }
        return y;
    }

    static void AddInto(Tensor target, int d, Tensor idx, Tensor src, double alpha)
    {
        if (idx.Numel() == 0 || src.Numel() == 0) return;
        Tensor scaled;
        using (GradMode.Set(false))
            scaled = alpha == 1 ? src : target.DType.IsFloatingPoint() ? src * alpha : src * (long)alpha;
        var t = target.NDim == 0 ? target.AsStridedView([1], [1], target.StorageOffset) : target;
        Backend.For(target).Scatter(t, d, AlongDim(idx, scaled.ShapeRef, d), scaled.To(target.DType), accumulate: true);
    }
}
