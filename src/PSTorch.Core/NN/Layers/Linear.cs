using PSTorch.Ops;

namespace PSTorch.NN;

/// <summary>y = x W^T + b (torch.nn.Linear), initialised as PyTorch does: kaiming_uniform(a=sqrt(5)) weights, uniform(±1/sqrt(fan_in)) bias.</summary>
public class Linear : Module
{
    public Linear(long inFeatures, long outFeatures, bool bias = true, DType? dtype = null, Device? device = null)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter(Torch.Empty([outFeatures, inFeatures], dtype, device));
        RegisterParameter("weight", Weight);
        if (bias)
        {
            Bias = new Parameter(Torch.Empty([outFeatures], dtype, device));
            RegisterParameter("bias", Bias);
        }
        ResetParameters();
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Parameter Weight { get; }
    public Parameter? Bias { get; }

    public void ResetParameters()
    {
        Init.KaimingUniform_(Weight, a: Math.Sqrt(5));
        if (Bias != null)
        {
            double bound = InFeatures > 0 ? 1 / Math.Sqrt(InFeatures) : 0;
            Init.Uniform_(Bias, -bound, bound);
        }
    }

    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);

    /// <summary>act(Forward(input)) with the bias add and the activation in one pass (<see cref="Sequential"/>'s fusion).</summary>
    internal Tensor ForwardActivated(Tensor input, BiasActivationKind kind)
    {
        using var product = Functional.Linear(input, Weight);
        return BiasActivation.Apply(product, Bias, -1, kind);
    }

    public override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias != null ? "True" : "False")}";
}
