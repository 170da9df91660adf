using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>gather, scatter and scatter_add along a dim, out of place and in place, with their gradients.</summary>
internal static partial class Indexing
{
    public static Tensor Gather(Tensor x, int dim, Tensor index)
    {
        Backend.CheckSameDevice(x, index);
        var idx = Int64Index(index, "gather(): Expected dtype int64 for index");
        if (x.NDim == 0 || idx.NDim == 0)
            return Gather(x.Reshape(1), 0, idx.Reshape(-1)).Reshape(idx.ShapeRef);
        int d = Shapes.WrapDim(dim, x.NDim);
        if (idx.NDim != x.NDim) throw new ArgumentException("Index tensor must have the same number of dimensions as input tensor");
        for (int i = 0; i < x.NDim; i++)
            if (i != d && idx.ShapeRef[i] > x.ShapeRef[i])
                throw new ArgumentException($"Size does not match at dimension {i} expected index {Shapes.Format(idx.ShapeRef)} to be smaller than self {Shapes.Format(x.ShapeRef)} apart from dimension {d}");
        CheckRange(idx, x.ShapeRef[d], d, inSelf: false);
        var y = Tensor.Empty(idx.ShapeRef, x.DType, x.Device);
        if (y.Numel() > 0) Backend.For(x).Gather(y, x, d, idx);
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            Graph.Record(y, "GatherBackward0", [x], [idx], (g, s, _) => [ScatterAdd(Torch.Zeros(inShape, g.DType, g.Device), d, s[0], g)]);
        }
        return y;
    }

    public static Tensor Scatter(Tensor x, int dim, Tensor index, Tensor src) => ScatterOp(x, dim, index, src, false, false, false);
    public static Tensor Scatter(Tensor x, int dim, Tensor index, double value) => ScatterOp(x, dim, index, ValueSource(x, index, value), false, true, false);
    public static Tensor Scatter_(Tensor x, int dim, Tensor index, Tensor src) => ScatterOp(x, dim, index, src, false, false, true);
    public static Tensor Scatter_(Tensor x, int dim, Tensor index, double value) => ScatterOp(x, dim, index, ValueSource(x, index, value), false, true, true);
    public static Tensor ScatterAdd(Tensor x, int dim, Tensor index, Tensor src) => ScatterOp(x, dim, index, src, true, false, false);
    public static Tensor ScatterAdd_(Tensor x, int dim, Tensor index, Tensor src) => ScatterOp(x, dim, index, src, true, false, true);

    /// <summary>scatter(dim, index, value): a source filled with the value, shaped as the index.</summary>
    static Tensor ValueSource(Tensor x, Tensor index, double value) => Torch.Full(index.ShapeRef, value, x.DType, x.Device);

    static Tensor ScatterOp(Tensor x, int dim, Tensor index, Tensor src, bool accumulate, bool valueForm, bool inPlace)
    {
        string op = accumulate ? "scatter_add" : "scatter";
        Backend.CheckSameDevice(x, index, src);
        var idx = Int64Index(index, $"{op}(): Expected dtype int64 for index");
        if (x.NDim == 0 && !inPlace)
            return ScatterOp(x.Reshape(1), 0, idx.Reshape(-1), src.Reshape(-1), accumulate, valueForm, false).Reshape([]);
        int d = Shapes.WrapDim(dim, x.NDim);
        if (src.DType != x.DType) throw new InvalidOperationException($"{op}(): Expected self.dtype to be equal to src.dtype");
        if (idx.NDim != x.NDim || src.NDim != x.NDim)
            throw new ArgumentException("Index tensor must have the same number of dimensions as self tensor");
        for (int i = 0; i < x.NDim; i++)
            if (idx.ShapeRef[i] > src.ShapeRef[i] || (i != d && idx.ShapeRef[i] > x.ShapeRef[i]))
                throw new ArgumentException($"Expected index {Shapes.Format(idx.ShapeRef)} to be smaller than self {Shapes.Format(x.ShapeRef)} apart from dimension {d} and to be smaller size than src {Shapes.Format(src.ShapeRef)}");
        CheckRange(idx, x.ShapeRef[d], d, inSelf: false);
        if (inPlace)
        {
            if (InPlace.MustRecord(x, src)) return InPlace.Rebase(x, ScatterOp(InPlace.Snapshot(x), d, idx, src, accumulate, valueForm, false));
            if (idx.Numel() > 0) Backend.For(x).Scatter(x, d, idx, src, accumulate);
            x.BumpVersion();
            return x;
        }
        Tensor y;
        using (GradMode.Set(false)) y = x.Clone();
        if (idx.Numel() > 0) Backend.For(x).Scatter(y, d, idx, src, accumulate);
        if (Graph.ShouldRecord(x, src))
        {
            string name = accumulate ? "ScatterAddBackward0" : valueForm ? "ScatterBackward1" : "ScatterBackward0";
            var srcShape = src.ShapeRef;
            Graph.Record(y, name, valueForm ? [x] : [x, src], [idx], (g, s, n) =>
            {
                // scatter overwrites: the old values at the targets get no gradient
                var gx = n[0] ? accumulate ? g : Scatter(g, d, s[0], 0.0) : null;
                if (valueForm) return [gx];
                return [gx, n[1] ? PadTo(Gather(g, d, s[0]), srcShape) : null];
            });
        }
        return y;
    }

    /// <summary>A gradient shaped like the index, placed at the front of zeros of src's shape (src may be larger than the index).</summary>
    static Tensor PadTo(Tensor g, long[] shape)
    {
        if (g.ShapeRef.AsSpan().SequenceEqual(shape)) return g;
        var full = Torch.Zeros(shape, g.DType, g.Device);
        using (GradMode.Set(false)) full.AsStridedView(g.ShapeRef, full.StridesRef, full.StorageOffset).CopyFrom(g);
        return full;
    }
}
