namespace PSTorch.NN;

/// <summary>The margin, embedding and likelihood losses of torch.nn.functional, with PyTorch's formulas and checks.</summary>
public static partial class Functional
{
    /// <summary>max(0, -target * (input1 - input2) + margin); target holds 1 or -1.</summary>
    public static Tensor MarginRankingLoss(Tensor input1, Tensor input2, Tensor target, double margin = 0, string reduction = "mean")
    {
        if (input1.NDim != input2.NDim || input1.NDim != target.NDim)
            throw new ArgumentException($"margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: {TorchSize(input1)}, input2: {TorchSize(input2)}, target: {TorchSize(target)} ");
        return Reduce((-target * (input1 - input2) + margin).ClampMin(0.0), reduction);
    }

    /// <summary>input where target is 1, max(0, margin - input) where target is -1 (both terms for any other target).</summary>
    public static Tensor HingeEmbeddingLoss(Tensor input, Tensor target, double margin = 1.0, string reduction = "mean")
    {
        var marginTerm = Torch.Where(target.Ne(1.0), (margin - input).ClampMin(0.0), 0.0);
        var inputTerm = Torch.Where(target.Ne(-1.0), input, 0.0);
        return Reduce(marginTerm + inputTerm, reduction);
    }

    /// <summary>log(1 + exp(-target * input)).</summary>
    public static Tensor SoftMarginLoss(Tensor input, Tensor target, string reduction = "mean")
    {
        if (!SameShape(input, target))
            throw new ArgumentException($"Using a target size ({TorchSize(target)}) that is different to the input size ({TorchSize(input)}) is deprecated. Please ensure they have the same size.");
        return Reduce(Log1pExp(-target * input), reduction);
    }

    /// <summary>1 - cos(input1, input2) where target is 1, max(0, cos - margin) where target is -1; rows along the last dim.</summary>
    public static Tensor CosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target, double margin = 0, string reduction = "mean")
    {
        if (target.NDim > 1) throw new ArgumentException("0D or 1D target tensor expected, multi-target not supported");
        if (input1.NDim != input2.NDim || !SameShape(input1, input2))
            throw new ArgumentException($"cosine_embedding_loss : Input1 and Input2 must have the same shape, but got input1: {TorchSize(input1)}, input2: {TorchSize(input2)}");
        if (input1.NDim != target.NDim + 1)
            throw new ArgumentException($"{input1.NDim}D target tensor expects {target.NDim + 1}D input tensors, but found inputs with sizes {Shapes.Format(input1.ShapeRef)} and {Shapes.Format(input2.ShapeRef)}.");
        const double epsilon = 1e-12;
        int dim = target.NDim;
        var product = (input1 * input2).Sum(dim);
        var squares1 = (input1 * input1).Sum(dim) + epsilon;
        var squares2 = (input2 * input2).Sum(dim) + epsilon;
        var cos = product / (squares1 * squares2).Sqrt();
        var positive = Torch.Where(target.Eq(1.0), 1 - cos, 0.0);
        var negative = Torch.Where(target.Eq(-1.0), (cos - margin).ClampMin(0.0), 0.0);
        return Reduce(positive + negative, reduction);
    }

    /// <summary>max(0, margin + d(anchor, positive) - d(anchor, negative)) with d the pairwise p-distance; swap takes the smaller of d(a, n) and d(p, n).</summary>
    public static Tensor TripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, double margin = 1.0, double p = 2, double eps = 1e-6,
        bool swap = false, string reduction = "mean")
    {
        if (anchor.NDim != positive.NDim || anchor.NDim != negative.NDim)
            throw new ArgumentException($"The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor {anchor.NDim}D, positive {positive.NDim}D, and negative {negative.NDim}D inputs");
        var toPositive = PairwiseDistance(anchor, positive, p, eps);
        var toNegative = PairwiseDistance(anchor, negative, p, eps);
        if (swap) toNegative = toNegative.Minimum(PairwiseDistance(positive, negative, p, eps));
        return Reduce((toPositive - toNegative + margin).ClampMin(0.0), reduction);
    }

    /// <summary>
    /// Poisson negative log likelihood: exp(input) - target * input (logInput) or input - target * log(input + eps);
    /// full adds Stirling's approximation target * log(target) - target + log(2 pi target) / 2 where target > 1.
    /// </summary>
    public static Tensor PoissonNllLoss(Tensor input, Tensor target, bool logInput = true, bool full = false, double eps = 1e-8, string reduction = "mean")
    {
        ParseReduction(reduction);
        var loss = logInput ? input.Exp() - target * input : input - target * (input + eps).Log();
        if (full)
        {
            var safeTarget = Torch.Where(target > 1, target, 1.0);
            var stirling = safeTarget * safeTarget.Log() - safeTarget + (safeTarget * (2 * Math.PI)).Log() * 0.5;
            loss = loss + Torch.Where(target > 1, stirling, 0.0);
        }
        return Reduce(loss, reduction);
    }

    /// <summary>
    /// Gaussian negative log likelihood (log(var) + (input - target)^2 / var) / 2 (+ log(2 pi) / 2 when full), var
    /// clamped to at least eps for the value only (its gradient passes as if unclamped, as PyTorch's no_grad clamp_).
    /// var is input-shaped, or one dim short of it, or has a last dim of 1.
    /// </summary>
    public static Tensor GaussianNllLoss(Tensor input, Tensor target, Tensor var, bool full = false, double eps = 1e-6, string reduction = "mean")
    {
        if (!SameShape(var, input))
        {
            if (input.NDim >= 1 && input.ShapeRef.AsSpan(0, input.NDim - 1).SequenceEqual(var.ShapeRef)) var = var.Unsqueeze(-1);
            else if (!(input.NDim == var.NDim && var.NDim >= 1 && var.Size(-1) == 1 && input.ShapeRef.AsSpan(0, input.NDim - 1).SequenceEqual(var.ShapeRef.AsSpan(0, var.NDim - 1))))
                throw new ArgumentException("var is of incorrect size");
        }
        if (reduction is not ("none" or "mean" or "sum")) throw new ArgumentException($"{reduction} is not valid");
        if ((var < 0).Any().Item<bool>()) throw new ArgumentException("var has negative entry/entries");
        Tensor clampedVar;
        using (Torch.NoGrad()) clampedVar = var.ClampMin(eps) - var;
        clampedVar = var + clampedVar;
        var loss = (clampedVar.Log() + (input - target).Square() / clampedVar) * 0.5;
        if (full) loss = loss + 0.5 * Math.Log(2 * Math.PI);
        return Reduce(loss, reduction);
    }

    /// <summary>
    /// Multi-label one-versus-all loss: -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input)), weighted per
    /// class, averaged over the classes (last dim), then reduced.
    /// </summary>
    public static Tensor MultilabelSoftMarginLoss(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean")
    {
        var loss = -(target * LogSigmoid(input) + (1 - target) * LogSigmoid(-input));
        if (weight != null) loss = loss * weight;
        int classDim = input.NDim - 1;
        loss = classDim >= 0 ? loss.Sum(classDim) / (double)input.Size(classDim) : loss;
        return Reduce(loss, reduction);
    }

    /// <summary>
    /// Multi-class hinge loss of scores [N, C] (or [C]) against class indices: the sum over the other classes j of
    /// max(0, margin - x[y] + x[j])^p (times weight[y]) divided by C.
    /// </summary>
    public static Tensor MultiMarginLoss(Tensor input, Tensor target, long p = 1, double margin = 1, Tensor? weight = null, string reduction = "mean")
    {
        if (p != 1 && p != 2) throw new ArgumentException("only p == 1 and p == 2 supported");
        if (input.NDim > 2 || target.NDim > 1)
            throw new ArgumentException($"Expected non-empty vector or matrix with optional 0-dim batch size, but got: {Shapes.Format(input.ShapeRef)}");
        var rows = input.NDim <= 1 ? input.Reshape(1, -1) : input;
        var classes = target.Reshape(-1, 1);
        if (classes.Size(0) != rows.Size(0))
            throw new ArgumentException($"inconsistent target size, expected {rows.Size(0)} but got {Shapes.Format(target.ShapeRef)}");
        if (weight != null && (weight.NDim > 1 || weight.Numel() != rows.Size(1)))
            throw new ArgumentException($"inconsistent weight size, expected {rows.Size(1)} but got {Shapes.Format(weight.ShapeRef)}");
        var targetScore = rows.Gather(1, classes);
        var hinge = (targetScore.Neg() + rows + margin).ClampMin(0.0);
        if (p == 2) hinge = hinge.Square();
        if (weight != null) hinge = hinge * weight.Gather(0, classes.Reshape(-1)).Reshape(-1, 1);
        // the target class's own term is margin^p (times its weight): leave it out
        var others = Torch.Where(Torch.Arange(rows.Size(1), device: rows.Device).Eq(classes), 0.0, hinge);
        var loss = others.Sum(1) / (double)rows.Size(1);
        if (input.NDim <= 1 && reduction == "none") loss = loss.Reshape(target.Shape);
        return Reduce(loss, reduction);
    }
}
