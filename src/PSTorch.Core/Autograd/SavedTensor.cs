namespace PSTorch.Autograd;

/// <summary>
/// A tensor saved for backward, with the version it had when saved, so a later in-place change is
/// reported instead of silently giving wrong gradients.
/// </summary>
internal sealed class SavedTensor
{
    Tensor? tensor;
    readonly int savedVersion;
    Node? producer;
    int outputNr;
    bool released;
    readonly bool owned;
    readonly Storage storage;

    /// <summary>Saves <paramref name="t"/>; <paramref name="owned"/>: the op made it for this node alone, so releasing it disposes it.</summary>
    public SavedTensor(Tensor t, bool owned = false)
    {
        tensor = t;
        this.owned = owned;
        // the node's own claim on the memory, as PyTorch's saved variable holds a reference: whoever made the
        // tensor may dispose it once it is no longer theirs to use, and backward still reads it
        storage = t.UntypedStorage;
        storage.AddReference();
        savedVersion = t.Version;
        producer = t.GradFn;
        outputNr = t.OutputNr;
    }

    /// <summary>Marks a tensor saved by the node that produces it (its grad_fn is set only after saving).</summary>
    public void SetProducer(Node node, int outputNr)
    {
        producer = node;
        this.outputNr = outputNr;
    }

    public bool Holds(Tensor t) => ReferenceEquals(tensor, t);

    public Tensor Unpack(string forNode)
    {
        if (released || tensor == null)
            throw new InvalidOperationException(
                "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
                "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
                "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");
        if (tensor.Version != savedVersion)
        {
            string what = producer != null ? $"is output {outputNr} of {producer.Name}" : "is a leaf or a tensor without grad_fn";
            throw new InvalidOperationException(
                $"one of the variables needed for gradient computation has been modified by an inplace operation: " +
                $"[{tensor.TypeName()} {Shapes.Format(tensor.ShapeRef)}], which {what}, is at version {tensor.Version}; expected version {savedVersion} instead. " +
                $"Hint: the backtrace further above shows the operation that failed to compute its gradient ({forNode}). " +
                "The variable in question was changed in there or anywhere later. Good luck!");
        }
        return tensor;
    }

    public void Release()
    {
        if (released) return;
        released = true;
        if (owned) tensor?.Dispose();
        tensor = null;
        storage.Release();
    }
}
