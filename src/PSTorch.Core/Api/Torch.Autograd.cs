using PSTorch.Autograd;

namespace PSTorch;

public static partial class Torch
{
    /// <summary>
    /// torch.autograd.grad: the gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>,
    /// returned instead of accumulated into .Grad.
    /// </summary>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor?[]? gradOutputs = null, bool? retainGraph = null, bool createGraph = false, bool allowUnused = false)
    {
        var grads = gradOutputs ?? new Tensor?[outputs.Length];
        if (grads.Length != outputs.Length)
            throw new ArgumentException($"grad can be implicitly created only for scalar outputs; got {grads.Length} gradients for {outputs.Length} outputs");
        return Engine.Run(outputs, grads, retainGraph ?? createGraph, createGraph, inputs, allowUnused)!;
    }

    /// <summary>
    /// gradcheck: compares the gradients autograd computes for <paramref name="function"/> with central finite
    /// differences, for every input that requires grad. Use float64 inputs. Throws (or returns false) on a mismatch.
    /// </summary>
    public static bool GradCheck(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raiseException = true) =>
        GradientCheck.Run(function, inputs, eps, atol, rtol, raiseException);
}
