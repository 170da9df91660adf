namespace PSTorch.NN;

/// <summary>torch.nn.GELU: approximate is "none" (exact, with erf) or "tanh".</summary>
public class GELU(string approximate = "none") : Module
{
    public string Approximate { get; } = approximate;
    public override Tensor Forward(Tensor input) => Functional.Gelu(input, Approximate);
    public override string ExtraRepr() => $"approximate='{Approximate}'";
}
