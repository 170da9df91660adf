using PSTorch.Autograd;

namespace PSTorch.NN.Utils;

/// <summary>
/// Activation checkpointing (torch.utils.checkpoint.checkpoint): trades compute for memory. The forward pass keeps
/// only the inputs, not the intermediate tensors <c>fn</c> would save for backward; backward runs <c>fn</c> again with
/// grad enabled, from the same state of the default random generator (so dropout masks repeat), and backpropagates
/// through that recomputation — into the inputs and into any parameters <c>fn</c> uses.
/// </summary>
public static class Checkpoint
{
    const string RngStateKey = "rng_state";

    public static Tensor Apply(Func<Tensor[], Tensor> fn, params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(fn);
        var function = CustomFunction.Create("Checkpoint",
            (ctx, args) => Forward(fn, ctx, args[..inputs.Length]),
            (ctx, grads) => Backward(fn, ctx, grads[0], inputs.Length));
        // Parameters used inside fn need the output to be recorded even when no input requires grad: an empty
        // anchor input that requires grad makes Apply record the node (it receives no gradient).
        bool anchor = GradMode.IsEnabled && !inputs.Any(t => t.RequiresGrad);
        return function.Apply(anchor ? [.. inputs, Torch.Zeros([0], DType.Float32).RequiresGrad_()] : inputs);
    }

    static Tensor Forward(Func<Tensor[], Tensor> fn, FunctionContext ctx, Tensor[] inputs)
    {
        ctx.Items[RngStateKey] = Torch.GetRngState();
        ctx.SaveForBackward(inputs);
        return fn(inputs);
    }

    static Tensor?[] Backward(Func<Tensor[], Tensor> fn, FunctionContext ctx, Tensor gradOutput, int inputCount)
    {
        var inputs = ctx.SavedTensors.Select((t, i) => t.Detach().RequiresGrad_(ctx.NeedsInputGrad[i])).ToArray();
        var rngNow = Torch.GetRngState();
        Torch.SetRngState((byte[])ctx.Items[RngStateKey]!);
        Tensor output;
        try
        {
            using (Torch.EnableGrad()) output = fn(inputs);
        }
        finally
        {
            Torch.SetRngState(rngNow);
        }
        if (output.RequiresGrad) output.Backward(gradOutput);
        var grads = new Tensor?[ctx.NeedsInputGrad.Length];
        for (int i = 0; i < inputCount; i++) grads[i] = inputs[i].Grad;
        return grads;
    }
}
