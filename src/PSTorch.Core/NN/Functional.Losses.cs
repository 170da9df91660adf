using PSTorch.Autograd;

namespace PSTorch.NN;

/// <summary>Loss functions of torch.nn.functional (reduction: "mean" (default), "sum" or "none").</summary>
public static partial class Functional
{
    static Tensor Reduce(Tensor loss, string reduction) => ParseReduction(reduction) switch
    {
        Backends.LossReduction.Mean => loss.Mean(),
        Backends.LossReduction.Sum => loss.Sum(),
        _ => loss,
    };

    /// <summary>torch.Size(...) as PyTorch's Python-side loss errors print shapes.</summary>
    static string TorchSize(Tensor t) => $"torch.Size({Shapes.Format(t.ShapeRef)})";

    static bool SameShape(Tensor a, Tensor b) => a.ShapeRef.AsSpan().SequenceEqual(b.ShapeRef);

    static void CheckWeightDevice(Tensor? weight, Tensor input, string loss, string what = "weight")
    {
        if (weight != null && weight.Device != input.Device)
            throw new InvalidOperationException(
                $"{loss}: the {what} tensor is on {weight.Device} but the input is on {input.Device}. Move the loss module with .To(device) (its {what} moves with it) or create the {what} on {input.Device}.");
    }

    /// <summary>Moves the class dim (1) last and flattens: [N, C, d1, ...] -> [N*d1*..., C].</summary>
    static Tensor ClassesLast(Tensor input) => input.NDim <= 2 ? input : input.Movedim(1, -1).Reshape(-1, input.Size(1));

    /// <summary>Negative log likelihood of class-index targets given log-probabilities [N, C] or [N, C, d1, ...].</summary>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean")
    {
        (input, target, weight) = Amp.Autocast.Cast("nll_loss", input, target, weight);
        CheckWeightDevice(weight, input, "nll_loss");
        var (logp, rowTargets) = ClassRows(input, target);
        var loss = Ops.NllLoss.Apply(logp, rowTargets, weight, ignoreIndex, ParseReduction(reduction),
            input.NDim == 4 ? "NllLoss2DBackward0" : "NllLossBackward0");
        return reduction == "none" ? loss.Reshape(target.Shape) : loss;
    }

    /// <summary>
    /// PyTorch's target checks of the class-index losses (nll_loss_nd, nll_loss and nll_loss2d), and input
    /// [N, C, d1, ...] as [M, C] rows with their [M] targets.
    /// </summary>
    static (Tensor Rows, Tensor Targets) ClassRows(Tensor input, Tensor target)
    {
        if (input.NDim < 1) throw new ArgumentException($"Expected 1 or more dimensions (got {input.NDim})");
        if (target.IsFloatingPoint())
            throw new ArgumentException($"expected scalar type Long but found {target.DType.LegacyName()}");
        if (input.NDim != 1 && (target.NDim == 0 || input.Size(0) != target.Size(0)))
            throw new ArgumentException($"Expected input batch_size ({input.Size(0)}) to match target batch_size ({(target.NDim > 0 ? target.Size(0) : 0)}).");
        if (input.NDim <= 2)
        {
            if (target.NDim > 1) throw new ArgumentException("0D or 1D target tensor expected, multi-target not supported");
            if (input.NDim == 1 && target.NDim != 0)
                throw new ArgumentException($"size mismatch (got input: {Shapes.Format(input.ShapeRef)}, target: {Shapes.Format(target.ShapeRef)})");
        }
        else if (input.NDim == 4 && target.NDim != 3)
            throw new ArgumentException($"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.NDim}");
        else if (!target.ShapeRef.AsSpan(1).SequenceEqual(input.ShapeRef.AsSpan(2)))
        {
            if (input.NDim == 4)
                throw new ArgumentException($"input and target batch or spatial sizes don't match: target {Shapes.Format(target.ShapeRef)}, input {Shapes.Format(input.ShapeRef)}");
            var expected = input.Shape.Where((_, i) => i != 1).ToArray();
            throw new ArgumentException($"Expected target size {Shapes.Format(expected)}, got {Shapes.Format(target.ShapeRef)}");
        }
        return (input.NDim == 1 ? input.Unsqueeze(0) : ClassesLast(input), target.Reshape(-1));
    }

    static Backends.LossReduction ParseReduction(string reduction) => reduction switch
    {
        "mean" => Backends.LossReduction.Mean,
        "sum" => Backends.LossReduction.Sum,
        "none" => Backends.LossReduction.None,
        _ => throw new ArgumentException($"{reduction} is not a valid value for reduction"),
    };

    /// <summary>
    /// Cross entropy of logits [N, C] (or [N, C, d1, ...]) against class indices or class probabilities, with class
    /// weights, ignore_index (index targets) and label smoothing, as torch.nn.functional.cross_entropy.
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean", double labelSmoothing = 0)
    {
        (input, target, weight) = Amp.Autocast.Cast("cross_entropy_loss", input, target, weight);
        CheckWeightDevice(weight, input, "cross_entropy");
        if (labelSmoothing < 0 || labelSmoothing > 1) throw new ArgumentException($"label_smoothing must be between 0.0 and 1.0. Got: {labelSmoothing}");
        int classDim = input.NDim == 1 ? 0 : 1;
        long classes = input.Size(classDim);
        // as at::cross_entropy_loss: a target shaped like the input holds class probabilities, any other one class indices
        bool probabilities = SameShape(input, target);
        if (probabilities)
        {
            if (!target.IsFloatingPoint())
                throw new ArgumentException($"Expected floating point type for target with class probabilities, got {target.DType.LegacyName()}");
            if (ignoreIndex >= 0) throw new ArgumentException("ignore_index is not supported for floating point target");
        }
        else if (Ops.CrossEntropy.Supports(input)) return FusedCrossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
        var logp = input.LogSoftmax(classDim);
        if (probabilities)
        {
            var probs = labelSmoothing > 0 ? target * (1 - labelSmoothing) + labelSmoothing / classes : target;
            var weighted = probs * (weight != null ? logp * ClassShape(weight, input.NDim, classDim) : logp);
            // cross_entropy_loss_prob_target's reductions (grad_fn DivBackward0 / NegBackward0 as PyTorch's)
            return ParseReduction(reduction) switch
            {
                Backends.LossReduction.Mean => -weighted.Sum() / (double)(input.Numel() / classes),
                Backends.LossReduction.Sum => -weighted.Sum(),
                _ => -weighted.Sum(classDim),
            };
        }
        var nll = NllLoss(logp, target, weight, ignoreIndex, reduction);
        if (labelSmoothing == 0) return nll;

        // smoothing term: the (weighted) mean over classes of -log p, over non-ignored positions
        var flat = input.NDim == 1 ? logp.Unsqueeze(0) : ClassesLast(logp);
        var t = target.Reshape(-1).To(DType.Int64);
        var valid = t.Ne(ignoreIndex).To(flat.DType);
        var smooth = -(weight != null ? flat * weight : flat).Sum(1) * valid;
        Tensor smoothReduced = reduction switch
        {
            "none" => smooth.Reshape(target.Shape),
            "sum" => smooth.Sum(),
            _ => weight != null
                ? smooth.Sum() / (weight.IndexSelect(0, Torch.Where(t.Ne(ignoreIndex), t, Torch.ZerosLike(t))) * valid).Sum()
                : smooth.Sum() / valid.Sum(),
        };
        return nll * (1 - labelSmoothing) + smoothReduced * (labelSmoothing / classes);
    }

    /// <summary>
    /// Class-index cross entropy as one op (log-softmax, nll_loss and smoothing fused); grad_fn is what PyTorch's
    /// composition shows: AddBackward0 with label smoothing, else nll_loss's (NllLoss2DBackward0 for images).
    /// </summary>
    static Tensor FusedCrossEntropy(Tensor input, Tensor target, Tensor? weight, long ignoreIndex, string reduction, double labelSmoothing)
    {
        var (rows, rowTargets) = ClassRows(input, target);
        string gradFn = labelSmoothing != 0 ? "AddBackward0" : input.NDim == 4 ? "NllLoss2DBackward0" : "NllLossBackward0";
        var loss = Ops.CrossEntropy.Apply(rows, rowTargets, weight, ignoreIndex, labelSmoothing, ParseReduction(reduction), gradFn);
        return reduction == "none" && !loss.ShapeRef.AsSpan().SequenceEqual(target.ShapeRef) ? loss.Reshape(target.Shape) : loss;
    }

    /// <summary>A [C] weight reshaped to broadcast along the class dim of an ndim-dimensional input.</summary>
    static Tensor ClassShape(Tensor weight, int ndim, int classDim)
    {
        var shape = Enumerable.Repeat(1L, ndim).ToArray();
        shape[classDim] = weight.Numel();
        return weight.Reshape(shape);
    }

    /// <summary>
    /// A pointwise loss as one autograd node named as PyTorch's (MseLossBackward0, ...): the value is computed without
    /// recording, and the backward is PyTorch's pointwise derivative for each of input and target, times the output
    /// gradient (over the element count for "mean") and the weight. Weights get no gradient, as in PyTorch.
    /// </summary>
    static Tensor PointwiseLoss(Tensor input, Tensor target, Tensor? weight, string reduction, string gradFn,
        Func<Tensor, Tensor, Tensor> loss, Func<Tensor, Tensor, Tensor> inputGrad, Func<Tensor, Tensor, Tensor> targetGrad)
    {
        if (weight is { RequiresGrad: true } && GradMode.IsEnabled) throw new NotSupportedException("the derivative for 'weight' is not implemented.");
        Tensor result;
        long count;
        using (GradMode.Set(false))
        {
            var elements = loss(input, target);
            if (weight != null) elements = elements * weight;
            count = elements.Numel();
            result = Reduce(elements, reduction);
        }
        if (Graph.ShouldRecord(input, target))
            Graph.Record(result, gradFn, [input, target], weight != null ? [input, target, weight] : [input, target], (g, saved, needs) =>
            {
                var scale = reduction == "mean" ? g / (double)count : g;
                if (weight != null) scale = scale * saved[2];
                return [needs[0] ? scale * inputGrad(saved[0], saved[1]) : null, needs[1] ? scale * targetGrad(saved[0], saved[1]) : null];
            });
        return result;
    }

    /// <summary>Input and target expanded to their broadcast shape, as torch.nn.functional does for the regression losses (where it warns that the sizes differ).</summary>
    static (Tensor Input, Tensor Target) Broadcast(Tensor input, Tensor target)
    {
        if (SameShape(input, target)) return (input, target);
        var shape = Shapes.Broadcast(input.Shape, target.Shape);
        return (input.Expand(shape), target.Expand(shape));
    }

    public static Tensor MseLoss(Tensor input, Tensor target, string reduction = "mean")
    {
        (input, target) = Amp.Autocast.Cast("mse_loss", input, target);
        (input, target) = Broadcast(input, target);
        return PointwiseLoss(input, target, null, reduction, "MseLossBackward0",
            (x, y) => (x - y) * (x - y), (x, y) => (x - y) * 2.0, (x, y) => (x - y) * -2.0);
    }

    /// <summary>|input - target|, composed as PyTorch's l1_loss is (grad_fn MeanBackward0 / SumBackward0 / AbsBackward0).</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, string reduction = "mean")
    {
        (input, target) = Amp.Autocast.Cast("l1_loss", input, target);
        return Reduce((input - target).Abs(), reduction);
    }

    /// <summary>0.5 d²/beta where |d| &lt; beta, else |d| - 0.5 beta; the derivative is d/beta clamped to [-1, 1] (sign(d) for beta 0).</summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, string reduction = "mean", double beta = 1.0)
    {
        (input, target) = Amp.Autocast.Cast("smooth_l1_loss", input, target);
        if (beta < 0) throw new ArgumentException("smooth_l1_loss does not support negative values for beta.");
        (input, target) = Broadcast(input, target);
        Tensor Derivative(Tensor x, Tensor y)
        {
            var d = x - y;
            return beta == 0 ? d.Sign() : Torch.Where(d.Abs() < beta, d / beta, d.Sign());
        }
        return PointwiseLoss(input, target, null, reduction, "SmoothL1LossBackward0", (x, y) =>
            {
                var d = (x - y).Abs();
                return beta == 0 ? d : Torch.Where(d < beta, d * d * (0.5 / beta), d - 0.5 * beta);
            },
            Derivative, (x, y) => -Derivative(x, y));
    }

    /// <summary>0.5 d² where |d| &lt;= delta, else delta (|d| - 0.5 delta); the derivative is d clamped to [-delta, delta].</summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, string reduction = "mean", double delta = 1.0)
    {
        (input, target) = Amp.Autocast.Cast("huber_loss", input, target);
        if (delta <= 0) throw new ArgumentException("huber_loss does not support non-positive values for delta.");
        (input, target) = Broadcast(input, target);
        Tensor Derivative(Tensor x, Tensor y)
        {
            var d = x - y;
            return Torch.Where(d.Abs() <= delta, d, d.Sign() * delta);
        }
        return PointwiseLoss(input, target, null, reduction, "HuberLossBackward0", (x, y) =>
            {
                var d = (x - y).Abs();
                return Torch.Where(d <= delta, d * d * 0.5, (d - 0.5 * delta) * delta);
            },
            Derivative, (x, y) => -Derivative(x, y));
    }

    /// <summary>
    /// Binary cross entropy of probabilities; the logs are clamped at -100 and the input derivative
    /// (x - y) / max(x (1 - x), 1e-12) stays finite at 0 and 1, as in PyTorch.
    /// </summary>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean")
    {
        (input, target, weight) = Amp.Autocast.Cast("binary_cross_entropy", input, target, weight);
        if (!SameShape(input, target))
            throw new ArgumentException($"Using a target size ({TorchSize(target)}) that is different to the input size ({TorchSize(input)}) is deprecated. Please ensure they have the same size.");
        CheckWeightDevice(weight, input, "binary_cross_entropy");
        if (!((input >= 0.0) & (input <= 1.0)).All().Item<bool>())
            throw new ArgumentException("all elements of input should be between 0 and 1");
        return PointwiseLoss(input, target, weight, reduction, "BinaryCrossEntropyBackward0",
            (x, y) => -(y * x.Log().ClampMin(-100) + (1 - y) * (1 - x).Log().ClampMin(-100)),
            (x, y) => (x - y) / ((1 - x) * x).ClampMin(1e-12),
            (x, _) => (1 - x).Log() - x.Log());
    }

    /// <summary>Sigmoid + binary cross entropy in one numerically stable expression, with pos_weight (broadcast over the last dim) for positives.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean", Tensor? posWeight = null)
    {
        (input, target, weight, posWeight) = Amp.Autocast.Cast("binary_cross_entropy_with_logits", input, target, weight, posWeight);
        if (!SameShape(input, target))
            throw new ArgumentException($"Target size ({TorchSize(target)}) must be the same as input size ({TorchSize(input)})");
        CheckWeightDevice(weight, input, "binary_cross_entropy_with_logits");
        CheckWeightDevice(posWeight, input, "binary_cross_entropy_with_logits", "pos_weight");
        if (posWeight is { RequiresGrad: true } && GradMode.IsEnabled) throw new NotSupportedException("the derivative for 'pos_weight' is not implemented.");
        // ATen's formulas: loss (1 - y) x - (1 + (pw - 1) y) log σ(x); d/dx ((pw y + 1 - y) σ(x) - pw y); d/dy (log σ(-x) - pw log σ(x))
        return PointwiseLoss(input, target, weight, reduction, "BinaryCrossEntropyWithLogitsBackward0",
            (x, y) => (1 - y) * x - (posWeight != null ? (1 + (posWeight - 1) * y) * LogSigmoid(x) : LogSigmoid(x)),
            (x, y) => posWeight != null ? (posWeight * y + 1 - y) * x.Sigmoid() - posWeight * y : x.Sigmoid() - y,
            (x, _) => posWeight != null ? LogSigmoid(-x) - posWeight * LogSigmoid(x) : -x);
    }

    /// <summary>KL divergence with input as log-probabilities; target as probabilities (or log-probabilities with logTarget). Reduction "batchmean" divides by the batch size.</summary>
    public static Tensor KlDiv(Tensor input, Tensor target, string reduction = "mean", bool logTarget = false)
    {
        (input, target) = Amp.Autocast.Cast("kl_div", input, target);
        // ATen's formula: xlogy makes a zero target contribute 0, while a negative target or 0 * -inf input gives NaN
        var loss = logTarget ? target.Exp() * (target - input) : target.Xlogy(target) - target * input;
        return reduction == "batchmean" ? loss.Sum() / (input.NDim > 0 ? input.Size(0) : 1) : Reduce(loss, reduction);
    }
}
