namespace PSTorch.Autograd;

/// <summary>The node behind a leaf that requires grad: adds incoming gradients into its .Grad.</summary>
public sealed class AccumulateGrad : Node
{
    internal AccumulateGrad(Tensor variable) : base([]) => Variable = variable;

    public Tensor Variable { get; }
    public override string Name => "AccumulateGrad";

    /// <summary>Set by the engine for one Apply: the incoming gradient is referenced by nothing else, so it may be kept or disposed.</summary>
    internal bool OwnsIncoming;

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        var g = gradOutputs[0];
        bool owns = OwnsIncoming;
        OwnsIncoming = false;
        if (g == null) return [];
        if (Variable.Grad == null)
            // PyTorch steals a gradient nothing else references instead of copying it
            // under create_graph PyTorch keeps a copy with its own graph (CloneBackward0), never the incoming tensor itself
            Variable.Grad = GradMode.IsEnabled ? g.Clone() : owns && g.IsContiguous() && g.UntypedStorage.IsExclusive ? g : g.Detach().Clone();
        else if (GradMode.IsEnabled)
            Variable.Grad = Variable.Grad + g;
        else
            Variable.Grad.Add_(g);
        if (owns && !ReferenceEquals(Variable.Grad, g)) g.Dispose();
        return [];
    }
}
