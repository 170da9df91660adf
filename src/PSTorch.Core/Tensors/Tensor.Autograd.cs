using PSTorch.Autograd;

namespace PSTorch;

public partial class Tensor
{
    bool requiresGrad;
    AccumulateGrad? gradAccumulator;

    Tensor? grad;

    /// <summary>The accumulated gradient of a leaf (or of a non-leaf after <see cref="RetainGrad"/>); an assigned one must match this tensor as in PyTorch.</summary>
    public Tensor? Grad
    {
        get => grad;
        set
        {
            if (value != null)
            {
                if (ReferenceEquals(value, this)) throw new InvalidOperationException("can't assign Variable as its own grad");
                if (value.Device.Type != Device.Type)
                    throw new InvalidOperationException($"attempting to assign a gradient with device type '{value.Device.Type.ToString().ToLowerInvariant()}' to a tensor with device type '{Device.Type.ToString().ToLowerInvariant()}'. Please ensure that the gradient and the tensor are on the same device");
                if (value.DType != DType) throw new InvalidOperationException("attempting to assign a gradient to a tensor that has data of a different type");
                if (!value.ShapeRef.AsSpan().SequenceEqual(shape))
                    throw new InvalidOperationException($"attempting to assign a gradient of size '{Shapes.Format(value.ShapeRef)}' to a tensor of size '{Shapes.Format(shape)}'. Please ensure that the gradient and the tensor are the same size");
            }
            grad = value;
        }
    }

    /// <summary>The backward function that produced this tensor; null for leaves.</summary>
    public Node? GradFn { get; private set; }

    /// <summary>Which output of <see cref="GradFn"/> this tensor is.</summary>
    public int OutputNr { get; private set; }

    public bool IsLeaf => GradFn == null;
    public bool RetainsGrad { get; private set; }

    /// <summary>Whether autograd records operations on this tensor; only a leaf's flag can be set (PyTorch's requires_grad setter).</summary>
    public bool RequiresGrad
    {
        get => requiresGrad || GradFn != null;
        set
        {
            if (GradFn != null) throw RequiresGradOfNonLeaf(value);
            SetRequiresGrad(value);
        }
    }

    /// <summary>requires_grad_(): sets the flag in place and returns this tensor; unlike the property, asking a non-leaf for what it already has is allowed.</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        if (GradFn == null) SetRequiresGrad(requiresGrad);
        else if (!requiresGrad) throw RequiresGradOfNonLeaf(false);
        return this;
    }

    void SetRequiresGrad(bool value)
    {
        if (value && !DType.IsFloatingPoint())
            throw new InvalidOperationException("only Tensors of floating point and complex dtype can require gradients");
        requiresGrad = value;
    }

    static InvalidOperationException RequiresGradOfNonLeaf(bool requested) => new(
        "you can only change requires_grad flags of leaf variables." +
        (requested ? "" : " If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."));

    internal AccumulateGrad GradAccumulator => gradAccumulator ??= new AccumulateGrad(this);

    internal void SetGradFn(Node node, int outputNr)
    {
        GradFn = node;
        OutputNr = outputNr;
    }

    /// <summary>
    /// Computes the gradient of this tensor w.r.t. graph leaves (tensor.backward()). With <paramref name="inputs"/>,
    /// only their .Grad is accumulated (a non-leaf among them retains its grad from then on, as in PyTorch).
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false, Tensor[]? inputs = null)
    {
        if (inputs == null)
        {
            Engine.Run([this], [gradient], retainGraph || createGraph, createGraph);
            return;
        }
        if (inputs.Length == 0) throw new ArgumentException("'inputs' argument to backward() cannot be empty.");
        foreach (var input in inputs) if (!input.IsLeaf) input.RetainGrad();
        var grads = Engine.Run([this], [gradient], retainGraph || createGraph, createGraph, inputs, allowUnused: true)!;
        using (GradMode.Set(createGraph))
            for (int i = 0; i < inputs.Length; i++)
                if (inputs[i].IsLeaf && grads[i] != null) inputs[i].GradAccumulator.Apply([grads[i]]);
    }

    /// <summary>Keeps .Grad for this non-leaf tensor during backward.</summary>
    public void RetainGrad()
    {
        if (!RequiresGrad) throw new InvalidOperationException("can't retain_grad on Tensor that has requires_grad=False");
        if (IsLeaf || RetainsGrad) return;
        RetainsGrad = true;
        int nr = OutputNr;
        (GradFn!.RetainGradHooks ??= []).Add(grads =>
        {
            if (grads[nr] is { } g) Grad = Grad == null ? g.Detach().Clone() : Grad + g.Detach();
        });
    }

    /// <summary>
    /// register_hook: <paramref name="hook"/> sees (and may replace, by returning non-null) this tensor's gradient
    /// before it is accumulated or captured by autograd.grad; disposing the returned handle removes it.
    /// </summary>
    public IDisposable RegisterHook(Func<Tensor, Tensor?> hook)
    {
        if (!RequiresGrad) throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        // a leaf's hooks belong to its AccumulateGrad node, as in PyTorch
        Node node = IsLeaf ? GradAccumulator : GradFn!;
        int nr = IsLeaf ? 0 : OutputNr;
        Func<Tensor?[], Tensor?[]> preHook = grads =>
        {
            if (grads[nr] is { } g && hook(g) is { } replaced) grads[nr] = replaced;
            return grads;
        };
        (node.PreHooks ??= []).Add(preHook);
        return new HookHandle(() => node.PreHooks!.Remove(preHook));
    }

    /// <summary>A tensor sharing storage and version counter, cut from the graph.</summary>
    public Tensor Detach() => AsStridedView(shape, strides, StorageOffset);

    /// <summary>Cuts this tensor from the graph in place.</summary>
    public Tensor Detach_()
    {
        // a view of a floating tensor is a differentiable view in PyTorch, which it refuses to detach in place
        if (ViewBase != null && DType.IsFloatingPoint())
            throw new InvalidOperationException(
                "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, " +
                "and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called " +
                "on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.");
        GradFn = null;
        requiresGrad = false;
        return this;
    }

    /// <summary>
    /// .data: the same memory without autograd and with its own version counter, so changes made
    /// through it are not seen by autograd (as in PyTorch). Setting it replaces this tensor's data.
    /// </summary>
    public Tensor Data
    {
        get
        {
            var d = AsStridedView(shape, strides, StorageOffset);
            d.VersionCounter = new VersionCounter();
            return d;
        }
        set => SetData(value);
    }
}
