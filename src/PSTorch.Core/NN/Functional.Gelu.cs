namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>x * Phi(x) (approximate "none") or its tanh approximation (approximate "tanh").</summary>
    public static Tensor Gelu(Tensor input, string approximate = "none") => Ops.Gelu.Apply(input, approximate);
}
