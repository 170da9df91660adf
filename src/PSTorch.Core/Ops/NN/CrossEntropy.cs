using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// cross_entropy of [M, C] logits against [M] class indices as one op: log-softmax, nll_loss and label smoothing in
/// one forward kernel that keeps each row's logsumexp, and one backward kernel. Functional.CrossEntropy brings other
/// layouts to this form; the grad_fn name is the one PyTorch shows for the composition it replaces.
/// </summary>
internal static class CrossEntropy
{
    /// <summary>The dtypes the fused kernels take: float32/float64 everywhere, and the half types on CUDA (computed in float there).</summary>
    public static bool Supports(Tensor logits) =>
        logits.DType is DType.Float32 or DType.Float64 || logits.IsCuda && logits.DType is DType.Float16 or DType.BFloat16;

    public static Tensor Apply(Tensor logits, Tensor target, Tensor? weight, long ignoreIndex, double labelSmoothing, LossReduction reduction, string gradFnName)
    {
        var (t, w) = NllLoss.PrepareArguments(logits, target, weight);
        long rows = logits.Size(0);
        Tensor x;
        using (GradMode.Set(false)) x = logits.Detach().Contiguous();
        var output = Tensor.Empty(reduction == LossReduction.None ? [rows] : [], logits.DType, logits.Device);
        var totalWeight = Tensor.Empty([], logits.DType, logits.Device);
        var lse = Tensor.Empty([rows], logits.DType == DType.Float64 ? DType.Float64 : DType.Float32, logits.Device);
        Backend.For(logits).CrossEntropy(output, totalWeight, lse, x, t, w, ignoreIndex, labelSmoothing, reduction);
        // released at once rather than by finalizer: x only served the forward, lse and totalWeight serve a backward
        x.Dispose();
        if (Graph.ShouldRecord(logits))
            Graph.Record(output, gradFnName, [logits], [logits, t, lse, totalWeight],
                (g, s, _) => [Backward(g, s[0], s[1], w, s[2], s[3], ignoreIndex, labelSmoothing, reduction)]);
        else
        {
            lse.Dispose();
            totalWeight.Dispose();
        }
        return output;
    }

    static Tensor Backward(Tensor gradOutput, Tensor logits, Tensor target, Tensor? weight, Tensor lse, Tensor totalWeight, long ignoreIndex, double labelSmoothing, LossReduction reduction)
    {
        // create_graph: the same gradient from differentiable ops, so it can be differentiated again
        if (GradMode.IsEnabled) return ComposedBackward(gradOutput, logits, target, weight, totalWeight, ignoreIndex, labelSmoothing, reduction);
        Tensor x, g;
        using (GradMode.Set(false))
        {
            x = logits.Detach().Contiguous();
            g = gradOutput.Detach().To(logits.DType).Contiguous();
        }
        var gradLogits = Tensor.Empty(x.ShapeRef, x.DType, x.Device);
        Backend.For(x).CrossEntropyBackward(gradLogits, g, x, lse, target, weight, totalWeight, ignoreIndex, labelSmoothing, reduction);
        return gradLogits;
    }

    /// <summary>g ((1 - s) w[t] (softmax(x) - onehot(t)) + s / C (W softmax(x) - w)) per counted row, 0 for ignored rows.</summary>
    static Tensor ComposedBackward(Tensor gradOutput, Tensor logits, Tensor target, Tensor? weight, Tensor totalWeight, long ignoreIndex, double labelSmoothing, LossReduction reduction)
    {
        long classes = logits.Size(1);
        var p = logits.Softmax(1);
        var counted = target.Ne(ignoreIndex);
        var safeTarget = Torch.Where(counted, target, Torch.ZerosLike(target));
        var countedRows = counted.To(p.DType);
        var rowWeight = weight != null ? weight.IndexSelect(0, safeTarget) * countedRows : countedRows;
        var onehot = safeTarget.Unsqueeze(1).Eq(Torch.Arange(classes, device: logits.Device)).To(p.DType);
        var grad = (p - onehot) * (rowWeight * (1 - labelSmoothing)).Unsqueeze(1);
        if (labelSmoothing != 0)
        {
            var spread = weight != null ? p * weight.Sum() - weight : p * (double)classes - 1;
            grad = grad + spread * countedRows.Unsqueeze(1) * (labelSmoothing / classes);
        }
        return reduction switch
        {
            LossReduction.None => grad * gradOutput.Unsqueeze(1),
            LossReduction.Mean => grad * (gradOutput / totalWeight),
            _ => grad * gradOutput,
        };
    }
}
