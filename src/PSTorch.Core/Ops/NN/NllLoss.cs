using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// nll_loss on [M, C] log-probabilities and [M] class indices as one op (forward kernel, NllLossBackward0), the way
/// PyTorch runs it; Functional.NllLoss/CrossEntropy bring other input layouts to this form.
/// </summary>
internal static class NllLoss
{
    public static Tensor Apply(Tensor logProbs, Tensor target, Tensor? weight, long ignoreIndex, LossReduction reduction, string gradFnName)
    {
        var (t, w) = PrepareArguments(logProbs, target, weight);
        long rows = logProbs.Size(0), classes = logProbs.Size(1);
        Tensor x;
        using (GradMode.Set(false)) x = logProbs.Detach().Contiguous();
        var output = Tensor.Empty(reduction == LossReduction.None ? [rows] : [], logProbs.DType, logProbs.Device);
        var totalWeight = Tensor.Empty([], logProbs.DType, logProbs.Device);
        Backend.For(logProbs).NllLoss(output, totalWeight, x, t, w, ignoreIndex, reduction);
        if (Graph.ShouldRecord(logProbs))
            Graph.Record(output, gradFnName, [logProbs], [t, totalWeight], (g, s, _) => [Backward(g, s[0], w, s[1], rows, classes, ignoreIndex, reduction)]);
        return output;
    }

    /// <summary>
    /// The checks PyTorch's nll_loss makes of [M, C] input, [M] target and [C] weight (shared with the fused
    /// cross-entropy), and the contiguous int64 target and input-dtype weight the kernels take.
    /// </summary>
    public static (Tensor Target, Tensor? Weight) PrepareArguments(Tensor input, Tensor target, Tensor? weight)
    {
        Backend.CheckSameDevice(input, target);
        if (weight != null) Backend.CheckSameDevice(input, weight);
        if (!input.DType.IsFloatingPoint()) throw new NotSupportedException($"\"nll_loss_out_frame\" not implemented for '{input.DType.LegacyName()}'");
        long classes = input.Size(1);
        if (weight != null && weight.Numel() != classes)
            throw new ArgumentException($"weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {Shapes.Format(weight.ShapeRef)}");
        using (GradMode.Set(false))
            return (target.Detach().To(DType.Int64).Contiguous(), weight?.Detach().To(input.DType).Contiguous());
    }

    static Tensor Backward(Tensor gradOutput, Tensor target, Tensor? weight, Tensor totalWeight, long rows, long classes, long ignoreIndex, LossReduction reduction)
    {
        var gradInput = Tensor.Empty([rows, classes], gradOutput.DType, gradOutput.Device);
        Tensor g;
        using (GradMode.Set(false)) g = gradOutput.Detach().Contiguous();
        Backend.For(gradOutput).NllLossBackward(gradInput, g, target, weight, totalWeight, ignoreIndex, reduction);
        // The backward is linear in gradOutput: its own gradient (for double backward) is nll_loss of the incoming grad.
        if (Graph.ShouldRecord(gradOutput))
            Graph.Record(gradInput, "NllLossBackwardBackward0", [gradOutput], [target, totalWeight], (gg, s, _) =>
            {
                var picked = Apply(gg, s[0], weight, ignoreIndex, reduction == LossReduction.None ? LossReduction.None : LossReduction.Sum, "NllLossBackward0");
                return [reduction == LossReduction.Mean ? picked / s[1] : picked];
            });
        return gradInput;
    }
}
