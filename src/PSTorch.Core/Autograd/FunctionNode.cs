namespace PSTorch.Autograd;

/// <summary>Computes input gradients from output gradients (null where an output got none), the unpacked saved tensors, and which inputs need a gradient.</summary>
internal delegate Tensor?[] BackwardFormula(Tensor?[] gradOutputs, Tensor[] saved, bool[] needsInputGrad);

/// <summary>
/// The backward node used by built-in ops: a name, the saved tensors and a formula computing the input
/// gradients. Ops create it through <see cref="Graph.Record"/>.
/// </summary>
internal sealed class FunctionNode : Node
{
    readonly string name;
    readonly BackwardFormula backward;
    readonly SavedTensor[] saved;
    readonly int outputs;

    public FunctionNode(string name, Edge[] next, int outputs, SavedTensor[] saved, BackwardFormula backward) : base(next)
    {
        this.name = name;
        this.backward = backward;
        this.saved = saved;
        this.outputs = outputs;
    }

    public override string Name => name;
    internal override int OutputCount => outputs;

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        var needs = new bool[NextEdges.Length];
        for (int i = 0; i < needs.Length; i++) needs[i] = NeedsInputGrad(i);
        var values = new Tensor[saved.Length];
        for (int i = 0; i < saved.Length; i++) values[i] = saved[i].Unpack(name);
        return backward(gradOutputs, values, needs);
    }

    internal override void ReleaseVariables()
    {
        foreach (var s in saved) s.Release();
    }
}
