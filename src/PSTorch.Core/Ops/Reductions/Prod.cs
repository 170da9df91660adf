using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>prod over all elements or one dim; its gradient stays exact when inputs contain zeros.</summary>
internal static class Prod
{
    public static Tensor Apply(Tensor x, int? dim, bool keepDim, DType? dtype)
    {
        if (dtype == null) x = Amp.Autocast.Cast("prod", x);
        var dims = dim is { } d ? [Shapes.WrapDim(d, x.NDim)] : Reduction.Dims(null, x.NDim);
        var outType = dtype ?? Reduction.SumType(x.DType);
        var y = Reduction.Reduce(ReduceOp.Prod, x.DType == outType ? x : x.To(outType), dims, keepDim);
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            var inType = x.DType;
            Graph.Record(y, dim == null ? "ProdBackward0" : "ProdBackward1", [x], [x], (g, s, _) =>
                [(Reduction.ExpandReducedGrad(g, inShape, dims, keepDim) * ProductOfOthers(s[0], dims)).To(inType)]);
        }
        return y;
    }

    /// <summary>
    /// d prod / d x_i = the product of the other elements of x_i's slice: prod/x_i without zeros; with exactly one
    /// zero only that element gets the product of the rest; with two or more zeros it is 0 everywhere.
    /// </summary>
    static Tensor ProductOfOthers(Tensor x, int[] dims)
    {
        var isZero = x == 0;
        var ones = Torch.OnesLike(x);
        var nonZero = Torch.Where(isZero, ones, x);
        var productOfNonZero = Reduction.Reduce(ReduceOp.Prod, nonZero, dims, keepDim: true);
        var zeros = isZero.Sum(dims, keepDim: true);
        var zero = Torch.ZerosLike(x);
        var whereZero = Torch.Where(zeros == 1, productOfNonZero.Expand(x.ShapeRef), zero);
        var elsewhere = Torch.Where(zeros == 0, productOfNonZero / nonZero, zero);
        return Torch.Where(isZero, whereZero, elsewhere);
    }
}
