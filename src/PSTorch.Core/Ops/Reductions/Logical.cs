using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// all/any: bool results (nonzero is true), except uint8 inputs which give uint8 0/1 as PyTorch keeps for
/// compatibility; all of nothing is true, any of nothing is false.
/// </summary>
internal static class Logical
{
    public static Tensor Apply(Tensor x, int[]? dimsArg, bool keepDim, bool all)
    {
        var dims = Reduction.Dims(dimsArg, x.NDim);
        var b = x.DType == DType.Bool ? x : x.Detach().To(DType.Bool);
        var y = Reduction.Reduce(all ? ReduceOp.Min : ReduceOp.Max, b, dims, keepDim, emptyValue: all ? 1 : 0);
        return x.DType == DType.UInt8 ? y.To(DType.UInt8) : y;
    }
}
