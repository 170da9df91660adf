using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>
/// batch_norm and layer_norm: y = (x - mean) / sqrt(var + eps) * weight + bias, with the statistics from the input
/// (two-pass mean and biased variance) or given (batch norm in eval mode), and one analytic backward per op.
/// </summary>
internal static class Normalization
{
    /// <summary>Normalises over <paramref name="dims"/> with the input's own statistics; returns y, the batch mean and the biased variance.</summary>
    public static (Tensor Output, Tensor Mean, Tensor Variance) WithInputStatistics(string name, Tensor x, int[] dims, double eps, Tensor? weight, Tensor? bias, long[] affineShape)
    {
        Tensor mean, variance;
        using (GradMode.Set(false))
        {
            mean = x.Detach().Mean(dims, keepDim: true);
            variance = x.Detach().Var(dims, correction: 0, keepDim: true);
        }
        var y = Apply(name, x, mean, variance, eps, weight, bias, affineShape, dims);
        return (y, mean, variance);
    }

    /// <summary>Normalises with fixed statistics (no gradient flows into them).</summary>
    public static Tensor WithGivenStatistics(string name, Tensor x, Tensor mean, Tensor variance, double eps, Tensor? weight, Tensor? bias, long[] affineShape) =>
        Apply(name, x, mean.Detach(), variance.Detach(), eps, weight, bias, affineShape, null);

    /// <summary>statisticDims: the dims the statistics were taken over (their gradient is part of x's), or null for fixed statistics.</summary>
    static Tensor Apply(string name, Tensor x, Tensor mean, Tensor variance, double eps, Tensor? weight, Tensor? bias, long[] affineShape, int[]? statisticDims)
    {
        Tensor normalized, invStd, y;
        using (GradMode.Set(false))
        {
            invStd = (variance + eps).Rsqrt();
            normalized = (x.Detach() - mean) * invStd;
            y = weight != null ? normalized * weight.Detach().View(affineShape) : normalized.Clone();
            if (bias != null) y.Add_(bias.Detach().View(affineShape));
        }
        var inputs = new List<Tensor> { x };
        if (weight != null) inputs.Add(weight);
        if (bias != null) inputs.Add(bias);
        if (!Graph.ShouldRecord(inputs.ToArray())) return y;
        Tensor[] saved = weight != null ? [normalized, invStd, weight] : [normalized, invStd];
        var biasShape = bias?.Shape;
        Graph.Record(y, name, inputs.ToArray(), saved,
            (g, s, needs) => Gradients(g, s[0], s[1], weight != null ? s[2] : null, biasShape, affineShape, statisticDims, needs));
        return y;
    }

    /// <summary>
    /// The gradients of x, weight and bias (the absent ones left out) from the normalised input xhat and 1 / std,
    /// in differentiable ops, so that create_graph can take them further; statisticDims as in Apply.
    /// </summary>
    internal static Tensor?[] Gradients(Tensor g, Tensor xhat, Tensor invStd, Tensor? weight, long[]? biasShape, long[] affineShape, int[]? statisticDims, bool[] needs)
    {
        var gradNormalized = weight != null ? g * weight.View(affineShape) : g;
        var grads = new List<Tensor?>();
        if (!needs[0]) grads.Add(null);
        else if (statisticDims == null) grads.Add(gradNormalized * invStd);
        else
            // d/dx of (x - mean) * invstd through the mean and the variance as well
            grads.Add(invStd * (gradNormalized - gradNormalized.Mean(statisticDims, keepDim: true) - xhat * (gradNormalized * xhat).Mean(statisticDims, keepDim: true)));
        if (weight != null) grads.Add(needs[1] ? (g * xhat).SumToSize(affineShape).View(weight.Shape) : null);
        if (biasShape != null) grads.Add(needs[grads.Count] ? g.SumToSize(affineShape).View(biasShape) : null);
        return grads.ToArray();
    }
}
