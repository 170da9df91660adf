using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>Vector p-norms over dims (torch.norm / torch.linalg.vector_norm): p = 2 (default, also "fro"), 1, 0, ±inf or any other p.</summary>
internal static class Norm
{
    public static Tensor Apply(Tensor x, double p, int[]? dimsArg, bool keepDim)
    {
        x = Amp.Autocast.Cast("norm", x);
        if (!x.DType.IsFloatingPoint())
            throw new InvalidOperationException($"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {x.DType.LegacyName()}");
        var dims = Reduction.Dims(dimsArg, x.NDim);
        if (double.IsInfinity(p) && x.Numel() == 0)
            throw new InvalidOperationException("linalg.vector_norm cannot compute the inf norm on an empty tensor because the operation does not have an identity");
        Tensor y;
        using (GradMode.Set(false))
        {
            var xf = x.DType is DType.Float16 or DType.BFloat16 ? x.To(DType.Float32) : x;
            var a = xf.Abs();
            y = p switch
            {
                2 => (xf * xf).Sum(dims, keepDim).Sqrt(),
                1 => a.Sum(dims, keepDim),
                0 => (xf != 0).Sum(dims, keepDim).To(xf.DType),
                double.PositiveInfinity => a.Amax(dims, keepDim),
                double.NegativeInfinity => a.Amin(dims, keepDim),
                _ => a.Pow(p).Sum(dims, keepDim).Pow(1 / p),
            };
            y = y.To(x.DType);
        }
        if (Graph.ShouldRecord(x))
            Graph.Record(y, "LinalgVectorNormBackward0", [x], [x, y], (g, s, _) => [Backward(g, s[0], s[1], p, dims, keepDim)]);
        return y;
    }

    /// <summary>Gradients as PyTorch's norm_backward; where the norm is 0 the gradient is 0, not NaN.</summary>
    static Tensor Backward(Tensor g, Tensor x, Tensor y, double p, int[] dims, bool keepDim)
    {
        int nd = x.NDim;
        var grad = Reduction.KeepDims(g, nd, dims, keepDim);
        var norm = Reduction.KeepDims(y, nd, dims, keepDim);
        var zero = Torch.ZerosLike(x);
        switch (p)
        {
            case 0:
                return zero;
            case 1:
                return x.Sign() * grad;
            case 2:
                return Torch.Where(norm == 0, zero, x * (grad / norm));
            case double.PositiveInfinity or double.NegativeInfinity:
                var mask = x.Abs().Eq(norm).To(x.DType);
                return x.Sign() * mask * grad / mask.Sum(dims, keepDim: true);
            default:
                // sign(x) |x|^(p-1) / norm^(p-1); zero where x or the norm is 0
                var scaled = Torch.Where(x == 0, zero, x.Sign() * x.Abs().Pow(p - 1));
                return Torch.Where(norm == 0, zero, scaled * grad / norm.Pow(p - 1));
        }
    }
}
