using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>var/std over dims with a correction (1 = unbiased), computed in two passes (mean, then squared deviations) for stability.</summary>
internal static class Variance
{
    public static Tensor Apply(Tensor x, int[]? dimsArg, double correction, bool keepDim, bool std)
    {
        if (!x.DType.IsFloatingPoint())
            throw new InvalidOperationException("std and var only support floating point and complex dtypes");
        var dims = Reduction.Dims(dimsArg, x.NDim);
        double divisor = Math.Max(0, Reduction.Count(x.ShapeRef, dims) - correction);
        Tensor y;
        using (GradMode.Set(false))
        {
            var xf = x.DType is DType.Float16 or DType.BFloat16 ? x.To(DType.Float32) : x;
            var deviation = xf - xf.Mean(dims, keepDim: true);
            var variance = (deviation * deviation).Sum(dims, keepDim) / divisor;
            y = (std ? variance.Sqrt() : variance).To(x.DType);
        }
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            Graph.Record(y, std ? "StdBackward0" : "VarBackward0", [x], [x, y], (g, s, _) =>
            {
                var deviation = s[0] - s[0].Mean(dims, keepDim: true);
                var grad = Reduction.KeepDims(g, inShape.Length, dims, keepDim);
                if (std)
                {
                    // d std = d var / (2 std); where std is 0 the gradient is taken as 0, as PyTorch does
                    var result = Reduction.KeepDims(s[1], inShape.Length, dims, keepDim);
                    grad = Torch.Where(result == 0, Torch.ZerosLike(result), grad / (result * 2));
                }
                return [grad * deviation * (2 / divisor)];
            });
        }
        return y;
    }
}
