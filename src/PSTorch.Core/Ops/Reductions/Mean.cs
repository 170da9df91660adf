using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>mean: a float sum divided by the count (half precision accumulates in float32).</summary>
internal static class Mean
{
    public static Tensor Apply(Tensor x, int[]? dimsArg, bool keepDim, DType? dtype)
    {
        if (dtype is { } requested && !requested.IsFloatingPoint())
            throw new InvalidOperationException($"mean(): could not infer output dtype. Optional dtype must be either a floating point or complex dtype. Got: {requested.LegacyName()}");
        if (dtype == null && !x.DType.IsFloatingPoint())
            throw new InvalidOperationException($"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {x.DType.LegacyName()}");
        var outType = dtype ?? x.DType;
        var dims = Reduction.Dims(dimsArg, x.NDim);
        long count = Reduction.Count(x.ShapeRef, dims);
        Tensor y;
        using (GradMode.Set(false))
        {
            var accumulate = outType is DType.Float16 or DType.BFloat16 ? DType.Float32 : outType;
            y = Reduction.Sum(x, dims, keepDim, accumulate).Div(count).To(outType);
        }
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            var inType = x.DType;
            bool full = dimsArg == null || dimsArg.Length == 0;
            Graph.Record(y, full ? "MeanBackward0" : "MeanBackward1", [x], [], (g, _, _) =>
                [(Reduction.ExpandReducedGrad(g, inShape, dims, keepDim) / count).To(inType)]);
        }
        return y;
    }
}
