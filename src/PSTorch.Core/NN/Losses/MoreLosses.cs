namespace PSTorch.NN;

/// <summary>torch.nn.MarginRankingLoss: Call(input1, input2, target).</summary>
public class MarginRankingLoss(double margin = 0, string reduction = "mean") : ThreeInputLoss(reduction)
{
    public double Margin { get; } = margin;
    public override Tensor Forward(Tensor input1, Tensor input2, Tensor target) => Functional.MarginRankingLoss(input1, input2, target, Margin, Reduction);
    private protected override string InputNames => "input1, input2, target";
}

/// <summary>torch.nn.HingeEmbeddingLoss: target 1 or -1.</summary>
public class HingeEmbeddingLoss(double margin = 1.0, string reduction = "mean") : Loss(reduction)
{
    public double Margin { get; } = margin;
    public override Tensor Forward(Tensor input, Tensor target) => Functional.HingeEmbeddingLoss(input, target, Margin, Reduction);
}

/// <summary>torch.nn.SoftMarginLoss: log(1 + exp(-target * input)).</summary>
public class SoftMarginLoss(string reduction = "mean") : Loss(reduction)
{
    public override Tensor Forward(Tensor input, Tensor target) => Functional.SoftMarginLoss(input, target, Reduction);
}

/// <summary>torch.nn.CosineEmbeddingLoss: Call(input1, input2, target).</summary>
public class CosineEmbeddingLoss(double margin = 0, string reduction = "mean") : ThreeInputLoss(reduction)
{
    public double Margin { get; } = margin;
    public override Tensor Forward(Tensor input1, Tensor input2, Tensor target) => Functional.CosineEmbeddingLoss(input1, input2, target, Margin, Reduction);
    private protected override string InputNames => "input1, input2, target";
}

/// <summary>torch.nn.TripletMarginLoss: Call(anchor, positive, negative).</summary>
public class TripletMarginLoss(double margin = 1.0, double p = 2.0, double eps = 1e-6, bool swap = false, string reduction = "mean") : ThreeInputLoss(reduction)
{
    public double Margin { get; } = margin;
    public double P { get; } = p;
    public double Eps { get; } = eps;
    public bool Swap { get; } = swap;
    public override Tensor Forward(Tensor anchor, Tensor positive, Tensor negative) =>
        Functional.TripletMarginLoss(anchor, positive, negative, Margin, P, Eps, Swap, Reduction);
    private protected override string InputNames => "anchor, positive, negative";
}

/// <summary>torch.nn.PoissonNLLLoss.</summary>
public class PoissonNLLLoss(bool logInput = true, bool full = false, double eps = 1e-8, string reduction = "mean") : Loss(reduction)
{
    public bool LogInput { get; } = logInput;
    public bool Full { get; } = full;
    public double Eps { get; } = eps;
    public override Tensor Forward(Tensor input, Tensor target) => Functional.PoissonNllLoss(input, target, LogInput, Full, Eps, Reduction);
}

/// <summary>torch.nn.GaussianNLLLoss: Call(input, target, var).</summary>
public class GaussianNLLLoss(bool full = false, double eps = 1e-6, string reduction = "mean") : ThreeInputLoss(reduction)
{
    public bool Full { get; } = full;
    public double Eps { get; } = eps;
    public override Tensor Forward(Tensor input, Tensor target, Tensor var) => Functional.GaussianNllLoss(input, target, var, Full, Eps, Reduction);
    private protected override string InputNames => "input, target, var";
}

/// <summary>torch.nn.MultiLabelSoftMarginLoss, with optional per-class weights (a buffer).</summary>
public class MultiLabelSoftMarginLoss : Loss
{
    public MultiLabelSoftMarginLoss(Tensor? weight = null, string reduction = "mean") : base(reduction) => RegisterBuffer("weight", weight);
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MultilabelSoftMarginLoss(input, target, Weight("weight"), Reduction);
}

/// <summary>torch.nn.MultiMarginLoss: multi-class hinge loss (p 1 or 2), with optional per-class weights (a buffer).</summary>
public class MultiMarginLoss : Loss
{
    public MultiMarginLoss(long p = 1, double margin = 1, Tensor? weight = null, string reduction = "mean") : base(reduction)
    {
        if (p != 1 && p != 2) throw new ArgumentException("only p == 1 and p == 2 supported");
        P = p;
        Margin = margin;
        RegisterBuffer("weight", weight);
    }

    public long P { get; }
    public double Margin { get; }
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MultiMarginLoss(input, target, P, Margin, Weight("weight"), Reduction);
}
