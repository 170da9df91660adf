using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>max/min (whole tensor, or along a dim with indices), amax/amin and argmax/argmin.</summary>
internal static class MinMax
{
    static string Name(bool max) => max ? "max" : "min";

    /// <summary>max()/min() of all elements; the gradient is shared evenly among elements equal to the result.</summary>
    public static Tensor All(Tensor x, bool max)
    {
        var dims = Reduction.Dims(null, x.NDim);
        Reduction.CheckNonEmpty(Name(max), x, dims, dimGiven: false);
        var y = Reduction.Reduce(max ? ReduceOp.Max : ReduceOp.Min, x, dims, keepDim: false);
        if (Graph.ShouldRecord(x))
            Graph.Record(y, max ? "MaxBackward1" : "MinBackward1", [x], [x, y], (g, s, _) => [EvenlyDistribute(g, s[0], s[1], dims, false)]);
        return y;
    }

    /// <summary>amax/amin over dims: values only, gradient shared evenly among the ties of each slice.</summary>
    public static Tensor AOver(Tensor x, int[]? dimsArg, bool keepDim, bool max)
    {
        var dims = Reduction.Dims(dimsArg, x.NDim);
        Reduction.CheckNonEmpty(max ? "amax" : "amin", x, dims, dimGiven: dimsArg is { Length: > 0 });
        var y = Reduction.Reduce(max ? ReduceOp.Max : ReduceOp.Min, x, dims, keepDim);
        if (Graph.ShouldRecord(x))
            Graph.Record(y, max ? "AmaxBackward0" : "AminBackward0", [x], [x, y], (g, s, _) => [EvenlyDistribute(g, s[0], s[1], dims, keepDim)]);
        return y;
    }

    /// <summary>PyTorch's evenly_distribute_backward: each element equal to the result (or NaN like it) gets g / count.</summary>
    public static Tensor EvenlyDistribute(Tensor g, Tensor x, Tensor y, int[] dims, bool keepDim)
    {
        var result = Reduction.KeepDims(y, x.NDim, dims, keepDim);
        var mask = x.Eq(result) | (x.Ne(x) & result.Ne(result));
        var count = mask.Sum(dims, keepDim: true);
        return mask.To(g.DType) * Reduction.KeepDims(g, x.NDim, dims, keepDim) / count;
    }

    /// <summary>max(dim)/min(dim): values and the index of the first extreme (first NaN) along dim.</summary>
    public static ValuesAndIndices AlongDim(Tensor x, int dim, bool keepDim, bool max)
    {
        int d = Shapes.WrapDim(dim, x.NDim);
        int[] dims = [d];
        Reduction.CheckNonEmpty(Name(max), x, dims, dimGiven: true);
        var shape = Reduction.OutputShape(x.ShapeRef, dims, keepDim);
        var values = Tensor.Empty(shape, x.DType, x.Device);
        var indices = Tensor.Empty(shape, DType.Int64, x.Device);
        if (values.Numel() > 0)
        {
            var src = Reduction.Layout(x, dims, out long outer, out long n, out long inner);
            Backend.For(x).ArgReduce(max, values, indices, src, outer, n, inner);
        }
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            Graph.Record(values, max ? "MaxBackward0" : "MinBackward0", [x], [indices], (g, s, _) =>
                [ValueSelectingBackward(g, s[0], inShape, d, keepDim)]);
        }
        return new ValuesAndIndices(values, indices);
    }

    /// <summary>The gradient of a reduction that picked one element per slice: g goes to the picked index, zeros elsewhere.</summary>
    public static Tensor ValueSelectingBackward(Tensor g, Tensor indices, long[] inShape, int dim, bool keepDim)
    {
        if (inShape.Length == 0) return g;
        var gk = keepDim ? g : g.Unsqueeze(dim);
        var ik = keepDim ? indices : indices.Unsqueeze(dim);
        return Indexing.Scatter(Torch.Zeros(inShape, g.DType, g.Device), dim, ik, gk);
    }

    /// <summary>argmax/argmin: of the flattened tensor when dim is null, else along dim (first occurrence).</summary>
    public static Tensor Arg(Tensor x, int? dim, bool keepDim, bool max)
    {
        string name = max ? "argmax" : "argmin";
        if (dim == null)
        {
            Reduction.CheckNonEmpty(name, x, [], dimGiven: false);
            var flat = x.Detach().Reshape(-1);
            var r = Tensor.Empty([], DType.Int64, x.Device);
            using (GradMode.Set(false)) Backend.For(x).ArgReduce(max, null, r, flat.Contiguous(), 1, flat.Numel(), 1);
            return keepDim ? r.Reshape(x.ShapeRef.Select(_ => 1L).ToArray()) : r;
        }
        int d = Shapes.WrapDim(dim.Value, x.NDim);
        Reduction.CheckNonEmpty(name, x, [d], dimGiven: true);
        var indices = Tensor.Empty(Reduction.OutputShape(x.ShapeRef, [d], keepDim), DType.Int64, x.Device);
        if (indices.Numel() > 0)
        {
            var src = Reduction.Layout(x, [d], out long outer, out long n, out long inner);
            Backend.For(x).ArgReduce(max, null, indices, src, outer, n, inner);
        }
        return indices;
    }
}
