namespace PSTorch.Autograd;

/// <summary>
/// The ctx of a custom autograd <see cref="Function"/>: what forward leaves for backward. Saved tensors are
/// version-checked like those of built-in ops and released after backward (unless the graph is retained).
/// </summary>
public sealed class FunctionContext
{
    SavedTensor[] saved = [];
    string nodeName = "";

    internal FunctionContext(bool[] needsInputGrad) => NeedsInputGrad = needsInputGrad;

    /// <summary>For each input of Apply: whether backward must compute its gradient.</summary>
    public bool[] NeedsInputGrad { get; internal set; }

    /// <summary>Anything else forward wants to hand to backward (ctx.foo = ... in PyTorch).</summary>
    public Dictionary<string, object?> Items { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal HashSet<Tensor> NonDifferentiable { get; } = new(ReferenceEqualityComparer.Instance);

    internal void AttachTo(string name) => nodeName = name;

    /// <summary>ctx.save_for_backward: keeps tensors for backward; modifying them in place afterwards makes backward fail.</summary>
    public void SaveForBackward(params Tensor[] tensors) => saved = tensors.Select(t => new SavedTensor(t)).ToArray();

    /// <summary>ctx.saved_tensors, checked against in-place changes since they were saved.</summary>
    public Tensor[] SavedTensors => saved.Select(s => s.Unpack(nodeName)).ToArray();

    /// <summary>ctx.mark_non_differentiable: these outputs get no grad_fn and do not require grad.</summary>
    public void MarkNonDifferentiable(params Tensor[] outputs)
    {
        foreach (var t in outputs) NonDifferentiable.Add(t);
    }

    /// <summary>A saved output names the node in the in-place error, as for built-in ops.</summary>
    internal void SetProducer(Tensor output, Node node)
    {
        foreach (var s in saved) if (s.Holds(output)) s.SetProducer(node, 0);
    }

    internal void Release()
    {
        foreach (var s in saved) s.Release();
    }
}
