namespace PSTorch.Autograd;

/// <summary>The node behind a leaf that requires grad: adds incoming gradients into its .Grad.</summary>
public sealed class AccumulateGrad : Node
{
    internal AccumulateGrad(Tensor variable) : base([]) => Variable = variable;

    public Tensor Variable { get; }
    public override string Name => "AccumulateGrad";

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        var g = gradOutputs[0];
        if (g == null) return [];
        foreach (var hook in Variable.GradHooks) g = hook(g) ?? g;
        if (Variable.Grad == null)
            Variable.Grad = GradMode.IsEnabled ? g : g.Detach().Clone();
        else if (GradMode.IsEnabled)
            Variable.Grad = Variable.Grad + g;
        else
            Variable.Grad.Add_(g);
        return [];
    }
}
