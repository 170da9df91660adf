namespace PSTorch.Autograd;

/// <summary>An edge of the graph: the node that receives a gradient, and which of its inputs it is.</summary>
public readonly record struct Edge(Node? Function, int InputNr)
{
    public bool IsValid => Function != null;
}

/// <summary>
/// A backward function (grad_fn): maps gradients of its forward outputs to gradients of its forward inputs.
/// </summary>
public abstract class Node
{
    static long nextSequence;

    protected Node(Edge[] nextEdges)
    {
        NextEdges = nextEdges;
        SequenceNr = Interlocked.Increment(ref nextSequence);
    }

    /// <summary>PyTorch's class name of this backward function, e.g. MulBackward0.</summary>
    public abstract string Name { get; }

    /// <summary>Where the gradients of the forward inputs go (next_functions).</summary>
    public Edge[] NextEdges { get; }

    /// <summary>Creation order; later nodes run first when both are ready, as in PyTorch.</summary>
    internal long SequenceNr { get; }

    /// <summary>How many outputs the forward produced (gradients this node receives).</summary>
    internal virtual int OutputCount => 1;

    public IReadOnlyList<(Node? Function, int InputNr)> NextFunctions => NextEdges.Select(e => (e.Function, e.InputNr)).ToArray();

    /// <summary>True if gradient input <paramref name="i"/> is needed by anything.</summary>
    protected bool NeedsInputGrad(int i) => NextEdges[i].IsValid;

    /// <summary>Computes the gradients of the inputs from the gradients of the outputs (null: zero/unused).</summary>
    internal abstract Tensor?[] Apply(Tensor?[] gradOutputs);

    /// <summary>Frees what was saved for backward (called after a backward without retain_graph).</summary>
    internal virtual void ReleaseVariables() { }

    /// <summary>Hooks run on the output gradients before <see cref="Apply"/>.</summary>
    internal List<Func<Tensor?[], Tensor?[]>>? PreHooks;

    /// <summary>retain_grad hooks: they run after every <see cref="PreHooks"/> hook (PyTorch runs them last whatever the registration order) and only read.</summary>
    internal List<Action<Tensor?[]>>? RetainGradHooks;

    public override string ToString() => $"<{Name} object>";
}
