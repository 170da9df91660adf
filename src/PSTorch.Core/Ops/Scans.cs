using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>cumsum, cumprod, cummax/cummin and logcumsumexp along one dim, and their gradients.</summary>
internal static class Scans
{
    /// <summary>cumsum/cumprod: integer and bool inputs scan in int64 unless a dtype is given.</summary>
    public static Tensor Accumulate(Tensor x, int dim, DType? dtype, bool product)
    {
        if (dtype == null) x = Amp.Autocast.Cast(product ? "cumprod" : "cumsum", x);
        int d = Shapes.WrapDim(dim, x.NDim);
        var outType = dtype ?? Reduction.SumType(x.DType);
        var y = Run(product ? ScanOp.Prod : ScanOp.Sum, x.DType == outType ? x : x.To(outType), d, null);
        if (Graph.ShouldRecord(x))
        {
            var inType = x.DType;
            if (product)
                Graph.Record(y, "CumprodBackward0", [x], [x, y], (g, s, _) => [CumprodBackward(g, s[0].To(outType), s[1], d).To(inType)]);
            else
                Graph.Record(y, "CumsumBackward0", [x], [], (g, _, _) => [ReverseCumsum(g, d).To(inType)]);
        }
        return y;
    }

    /// <summary>cumsum_/cumprod_: the scan written back into x (its dtype kept).</summary>
    public static Tensor AccumulateInPlace(Tensor x, int dim, DType? dtype, bool product) =>
        WriteBack.Apply(x, t => Accumulate(t, dim, dtype, product));

    public static Tensor LogCumSumExp(Tensor x, int dim)
    {
        if (!x.DType.IsFloatingPoint())
            throw new NotSupportedException($"\"logcumsumexp_out_cpu\" not implemented for '{x.DType.LegacyName()}'");
        int d = Shapes.WrapDim(dim, x.NDim);
        var y = Run(ScanOp.LogSumExp, x, d, null);
        if (Graph.ShouldRecord(x))
            Graph.Record(y, "LogcumsumexpBackward0", [x], [x, y], (g, s, _) => [LogCumSumExpBackward(g, s[0], s[1], d)]);
        return y;
    }

    /// <summary>cummax/cummin: the running extreme and the index it came from; the gradient goes to that index.</summary>
    public static ValuesAndIndices Extreme(Tensor x, int dim, bool max)
    {
        int d = Shapes.WrapDim(dim, x.NDim);
        var indices = Tensor.Empty(x.ShapeRef, DType.Int64, x.Device);
        var values = Run(max ? ScanOp.Max : ScanOp.Min, x, d, indices);
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            Graph.Record(values, max ? "CummaxBackward0" : "CumminBackward0", [x], [indices], (g, s, _) =>
                [Indexing.ScatterAdd(Torch.Zeros(inShape, g.DType, g.Device), d, s[0], g)]);
        }
        return new ValuesAndIndices(values, indices);
    }

    /// <summary>The scan of x (already in the result dtype) along d, on x's backend; a 0-d tensor scans as one element.</summary>
    static Tensor Run(ScanOp op, Tensor x, int d, Tensor? indices)
    {
        var y = Tensor.Empty(x.ShapeRef, x.DType, x.Device);
        if (y.Numel() == 0) return y;
        var shape = x.ShapeRef;
        long outer = x.NDim == 0 ? 1 : Shapes.Numel(shape.AsSpan(0, d));
        long n = x.NDim == 0 ? 1 : shape[d];
        long inner = x.NDim == 0 ? 1 : Shapes.Numel(shape.AsSpan(d + 1));
        Tensor src;
        using (GradMode.Set(false)) src = x.Contiguous();
        Backend.For(x).Scan(op, y, indices, src, outer, n, inner);
        return y;
    }

    /// <summary>sum over j &gt;= i of g[j] along d: the gradient of cumsum.</summary>
    static Tensor ReverseCumsum(Tensor g, int d) => g.NDim == 0 ? g : g.Flip(d).Cumsum(d).Flip(d);

    /// <summary>
    /// d y_j / d x_k = prod over i &lt;= j, i != k of x_i. Before a line's first zero z that is y_j / x_k; at z it is
    /// the product of the others, x_z taken as 1; after z every term holds x_z = 0.
    /// </summary>
    static Tensor CumprodBackward(Tensor g, Tensor x, Tensor y, int d)
    {
        if (x.Numel() == 0) return Torch.ZerosLike(x);
        if (x.NDim == 0) return g;
        var isZero = x == 0;
        var zerosSoFar = isZero.Cumsum(d);
        var beforeZero = zerosSoFar == 0;
        var firstZero = isZero & (zerosSoFar == 1);
        var nonZero = Torch.Where(beforeZero, x, Torch.OnesLike(x));
        var beforeGrad = ReverseCumsum(g * y, d) / nonZero;
        var zeroAsOne = Torch.Where(firstZero, Torch.OnesLike(x), x);
        var atZeroGrad = ReverseCumsum(g * zeroAsOne.Cumprod(d), d);
        return Torch.Where(beforeZero, beforeGrad, Torch.Where(firstZero, atZeroGrad, Torch.ZerosLike(x)));
    }

    /// <summary>PyTorch's logcumsumexp_backward: positive and negative parts of g through reverse log-cum-sum-exps, stable for large x.</summary>
    static Tensor LogCumSumExpBackward(Tensor g, Tensor x, Tensor y, int d)
    {
        if (x.Numel() == 0) return Torch.ZerosLike(x);
        double lowest = g.DType == DType.Float64 ? double.MinValue : float.MinValue;
        var logAbsGrad = g.Abs().Log();
        var logPositive = Torch.Where(g > 0, logAbsGrad, lowest);
        var logNegative = Torch.Where(g < 0, logAbsGrad, lowest);
        Tensor ReverseLogCumSumExp(Tensor t) => t.NDim == 0 ? t : t.Flip(d).Logcumsumexp(d).Flip(d);
        var positive = (ReverseLogCumSumExp(logPositive - y) + x).Exp();
        var negative = (ReverseLogCumSumExp(logNegative - y) + x).Exp();
        return positive - negative;
    }
}
