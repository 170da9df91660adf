namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>
    /// Cosine of the angle between x1 and x2 along dim (broadcast): the sum of (x1 / max(|x1|, eps)) * (x2 / max(|x2|, eps)),
    /// each norm clamped separately as PyTorch 2 does.
    /// </summary>
    public static Tensor CosineSimilarity(Tensor x1, Tensor x2, int dim = 1, double eps = 1e-8)
    {
        var n1 = x1.Norm(2, dim, keepDim: true).ClampMin(eps);
        var n2 = x2.Norm(2, dim, keepDim: true).ClampMin(eps);
        return (x1 / n1 * (x2 / n2)).Sum(dim);
    }

    /// <summary>The p-norm of x1 - x2 + eps over the last dim.</summary>
    public static Tensor PairwiseDistance(Tensor x1, Tensor x2, double p = 2.0, double eps = 1e-6, bool keepdim = false)
    {
        var difference = x1 - x2 + eps;
        if (difference.NDim == 0) difference = difference.Unsqueeze(0);
        return difference.Norm(p, -1, keepdim);
    }
}
