namespace PSTorch.NN;

/// <summary>torch.nn.CrossEntropyLoss: log-softmax + NLL over logits, with class weights (a buffer: it moves with To), ignore_index and label smoothing.</summary>
public class CrossEntropyLoss : Loss
{
    public CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean", double labelSmoothing = 0) : base(reduction)
    {
        RegisterBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    public long IgnoreIndex { get; }
    public double LabelSmoothing { get; }
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.CrossEntropy(input, target, Weight("weight"), IgnoreIndex, Reduction, LabelSmoothing);
}

public class NLLLoss : Loss
{
    public NLLLoss(Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean") : base(reduction)
    {
        RegisterBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
    }

    public long IgnoreIndex { get; }
    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, Weight("weight"), IgnoreIndex, Reduction);
}

public class MSELoss(string reduction = "mean") : Loss(reduction)
{
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}

public class L1Loss(string reduction = "mean") : Loss(reduction)
{
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}

public class SmoothL1Loss(string reduction = "mean", double beta = 1.0) : Loss(reduction)
{
    public double Beta { get; } = beta;
    public override Tensor Forward(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Reduction, Beta);
}

public class HuberLoss(string reduction = "mean", double delta = 1.0) : Loss(reduction)
{
    public double Delta { get; } = delta;
    public override Tensor Forward(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Reduction, Delta);
}

public class BCELoss : Loss
{
    public BCELoss(Tensor? weight = null, string reduction = "mean") : base(reduction) => RegisterBuffer("weight", weight);
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, Weight("weight"), Reduction);
}

public class BCEWithLogitsLoss : Loss
{
    public BCEWithLogitsLoss(Tensor? weight = null, string reduction = "mean", Tensor? posWeight = null) : base(reduction)
    {
        RegisterBuffer("weight", weight);
        RegisterBuffer("pos_weight", posWeight);
    }

    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.BinaryCrossEntropyWithLogits(input, target, Weight("weight"), Reduction, Weight("pos_weight"));
}

public class KLDivLoss(string reduction = "mean", bool logTarget = false) : Loss(reduction)
{
    public bool LogTarget { get; } = logTarget;
    public override Tensor Forward(Tensor input, Tensor target) => Functional.KlDiv(input, target, Reduction, LogTarget);
}
