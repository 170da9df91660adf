namespace PSTorch.Ops;

/// <summary>torch.cdist: the p-norm distance between every row of x1 and every row of x2 (batched over leading dims).</summary>
internal static class PairwiseDistances
{
    public static Tensor Cdist(Tensor x1, Tensor x2, double p)
    {
        if (!x1.DType.IsFloatingPoint()) throw new ArgumentException($"cdist only supports floating-point dtypes, X1 got: {x1.DType.LegacyName()}");
        if (!x2.DType.IsFloatingPoint()) throw new ArgumentException($"cdist only supports floating-point dtypes, X2 got: {x2.DType.LegacyName()}");
        if (x1.NDim < 2) throw new ArgumentException($"cdist only supports at least 2D tensors, X1 got: {x1.NDim}D");
        if (x2.NDim < 2) throw new ArgumentException($"cdist only supports at least 2D tensors, X2 got: {x2.NDim}D");
        if (x1.ShapeRef[^1] != x2.ShapeRef[^1])
            throw new ArgumentException($"X1 and X2 must have the same number of columns. X1: {x1.ShapeRef[^1]} X2: {x2.ShapeRef[^1]}");
        if (!(p >= 0)) throw new ArgumentException("cdist only supports non-negative p values");
        return (x1.Unsqueeze(-2) - x2.Unsqueeze(-3)).Norm(p, -1);
    }
}
