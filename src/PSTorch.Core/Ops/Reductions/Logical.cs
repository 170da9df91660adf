using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>all/any: bool results (nonzero is true); all of nothing is true, any of nothing is false.</summary>
internal static class Logical
{
    public static Tensor Apply(Tensor x, int[]? dimsArg, bool keepDim, bool all)
    {
        var dims = Reduction.Dims(dimsArg, x.NDim);
        var b = x.DType == DType.Bool ? x : x.Detach().To(DType.Bool);
        return Reduction.Reduce(all ? ReduceOp.Min : ReduceOp.Max, b, dims, keepDim, emptyValue: all ? 1 : 0);
    }
}
