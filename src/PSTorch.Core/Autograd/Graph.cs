namespace PSTorch.Autograd;

/// <summary>How ops attach backward functions to their outputs.</summary>
internal static class Graph
{
    /// <summary>True when grad mode is on and any input requires grad: the op must record.</summary>
    public static bool ShouldRecord(Tensor a) => GradMode.IsEnabled && a.RequiresGrad;
    public static bool ShouldRecord(Tensor a, Tensor b) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);
    public static bool ShouldRecord(ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>The edge a gradient for <paramref name="t"/> flows along: its grad_fn, or its AccumulateGrad if it is a leaf that requires grad.</summary>
    public static Edge EdgeOf(Tensor t)
    {
        if (t.GradFn != null) return new Edge(t.GradFn, t.OutputNr);
        if (t.RequiresGrad) return new Edge(t.GradAccumulator, 0);
        return default;
    }

    /// <summary>
    /// Records a single-output op: <paramref name="output"/> gets a grad_fn named <paramref name="name"/> whose
    /// formula receives the output gradient and the tensors in <paramref name="save"/> (version-checked).
    /// With <paramref name="ownsSaved"/>, the saved tensors are objects the op made for the node alone (detached
    /// copies, index tensors): they are disposed when released after backward instead of waiting for finalizers.
    /// </summary>
    public static void Record(Tensor output, string name, Tensor[] inputs, Tensor[] save, Func<Tensor, Tensor[], bool[], Tensor?[]> backward, bool ownsSaved = false) =>
        RecordMulti([output], name, inputs, save,
            (grads, saved, needs) => backward(grads[0] ?? throw new InvalidOperationException($"{name}: missing gradient"), saved, needs), ownsSaved);

    /// <summary>Records an op with several outputs; output gradients that were never produced arrive as null.</summary>
    public static void RecordMulti(Tensor[] outputs, string name, Tensor[] inputs, Tensor[] save, BackwardFormula backward, bool ownsSaved = false)
    {
        // plain loops: every differentiable op on every call comes through here
        var saved = save.Length == 0 ? [] : new SavedTensor[save.Length];
        for (int i = 0; i < save.Length; i++) saved[i] = new SavedTensor(save[i], ownsSaved);
        var edges = new Edge[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) edges[i] = EdgeOf(inputs[i]);
        var node = new FunctionNode(name, edges, outputs.Length, saved, backward);
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i].SetGradFn(node, i);
            // A saved output names this node in the in-place error ("output 0 of ExpBackward0").
            foreach (var s in saved) if (s.Holds(outputs[i])) s.SetProducer(node, i);
        }
    }
}
