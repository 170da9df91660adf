namespace PSTorch.Autograd;

/// <summary>
/// A custom differentiable operation (torch.autograd.Function): subclass it, override <see cref="Forward"/> and
/// <see cref="Backward"/>, and call <see cref="Apply"/>. Forward runs without recording; the output gets a node
/// named after the class, <c>&lt;ClassName&gt;Backward</c>, that calls Backward.
/// </summary>
public abstract class Function
{
    /// <summary>The name of the backward node is this name + "Backward".</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Computes the output from the inputs (runs under no_grad). Use ctx to save what backward needs.</summary>
    public abstract Tensor Forward(FunctionContext ctx, params Tensor[] inputs);

    /// <summary>
    /// One gradient per input of Apply (null where none is needed: see ctx.NeedsInputGrad), from the gradient of the output.
    /// </summary>
    public abstract Tensor?[] Backward(FunctionContext ctx, params Tensor[] gradOutputs);

    /// <summary>Runs forward and records the backward node when an input requires grad.</summary>
    public Tensor Apply(params Tensor[] inputs)
    {
        bool record = GradMode.IsEnabled && inputs.Any(t => t.RequiresGrad);
        var ctx = new FunctionContext(inputs.Select(t => record && t.RequiresGrad).ToArray());
        string nodeName = Name + "Backward";
        ctx.AttachTo(nodeName);
        Tensor output;
        using (GradMode.Set(false)) output = Forward(ctx, inputs)
            ?? throw new InvalidOperationException($"{Name}.Forward returned no tensor.");
        // An input returned as is must not have its grad_fn replaced: hand back a new tensor on the same memory.
        if (inputs.Any(i => ReferenceEquals(i, output))) output = output.Detach();
        if (!record || ctx.NonDifferentiable.Contains(output) || !output.IsFloatingPoint()) return output;
        var node = new CustomFunctionNode(nodeName, inputs.Select(Graph.EdgeOf).ToArray(), this, ctx, inputs.Select(t => t.ShapeRef).ToArray());
        output.SetGradFn(node, 0);
        ctx.SetProducer(output, node);
        return output;
    }
}

/// <summary>A custom function given as two delegates (for scripts: the PowerShell layer builds scriptblock functions on it).</summary>
public sealed class CustomFunction : Function
{
    readonly string name;
    readonly Func<FunctionContext, Tensor[], Tensor> forward;
    readonly Func<FunctionContext, Tensor[], Tensor?[]> backward;

    CustomFunction(string name, Func<FunctionContext, Tensor[], Tensor> forward, Func<FunctionContext, Tensor[], Tensor?[]> backward)
    {
        this.name = name;
        this.forward = forward;
        this.backward = backward;
    }

    /// <summary>
    /// A function named <paramref name="name"/> (its node is <c>&lt;name&gt;Backward</c>): forward(ctx, inputs) computes the output;
    /// backward(ctx, [gradOutput]) returns one gradient per input.
    /// </summary>
    public static CustomFunction Create(string name, Func<FunctionContext, Tensor[], Tensor> forward, Func<FunctionContext, Tensor[], Tensor?[]> backward)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A custom function needs a name.", nameof(name));
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        return new CustomFunction(name, forward, backward);
    }

    public override string Name => name;
    public override Tensor Forward(FunctionContext ctx, params Tensor[] inputs) => forward(ctx, inputs);
    public override Tensor?[] Backward(FunctionContext ctx, params Tensor[] gradOutputs) => backward(ctx, gradOutputs);
}

/// <summary>The backward node of a custom function: checks what Backward returns against the inputs.</summary>
internal sealed class CustomFunctionNode : Node
{
    readonly string name;
    readonly Function function;
    readonly FunctionContext ctx;
    readonly long[][] inputShapes;

    public CustomFunctionNode(string name, Edge[] next, Function function, FunctionContext ctx, long[][] inputShapes) : base(next)
    {
        this.name = name;
        this.function = function;
        this.ctx = ctx;
        this.inputShapes = inputShapes;
    }

    public override string Name => name;

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        ctx.NeedsInputGrad = Enumerable.Range(0, NextEdges.Length).Select(NeedsInputGrad).ToArray();
        var grads = function.Backward(ctx, gradOutputs.Select(g => g!).ToArray())
            ?? throw new InvalidOperationException($"function {name} returned no gradients");
        if (grads.Length != inputShapes.Length)
            throw new InvalidOperationException($"function {name} returned an incorrect number of gradients (expected {inputShapes.Length}, got {grads.Length})");
        for (int i = 0; i < grads.Length; i++)
        {
            if (grads[i] is not { } g || !NeedsInputGrad(i)) { grads[i] = null; continue; }
            if (!g.ShapeRef.AsSpan().SequenceEqual(inputShapes[i]))
            {
                // PyTorch accepts a gradient that sums to the input's shape (e.g. a broadcast one).
                Tensor? reduced = null;
                try { reduced = g.SumToSize(inputShapes[i]); }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException) { }
                if (reduced == null || !reduced.ShapeRef.AsSpan().SequenceEqual(inputShapes[i]))
                    throw new InvalidOperationException($"Function {name} returned an invalid gradient at index {i} - got {Shapes.Format(g.ShapeRef)} but expected shape compatible with {Shapes.Format(inputShapes[i])}");
                grads[i] = reduced;
            }
        }
        return grads;
    }

    internal override void ReleaseVariables() => ctx.Release();
}
