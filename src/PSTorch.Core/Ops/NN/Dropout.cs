using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// Training-mode dropout of float32/float64 tensors as one backend op: one pass draws each element's uniform number,
/// keeps or zeroes it and scales, keeping a bool mask for the backward, where the composition makes a random tensor,
/// a comparison, a cast, a division and a product. The draws and the arithmetic are the composition's
/// (IBackend.Dropout), so the output and the generator's advance are identical. The grad_fn is PyTorch's per device:
/// NativeDropoutBackward0 on CUDA (its fused kernel), MulBackward0 on the CPU (its composition).
/// </summary>
internal static class Dropout
{
    public static bool Supports(Tensor input) => input.DType is DType.Float32 or DType.Float64 && input.Numel() > 0;

    /// <summary>0 &lt; p &lt; 1 (the caller handles 0 and 1).</summary>
    public static Tensor Apply(Tensor input, double p, Generator? generator)
    {
        Tensor x;
        using (GradMode.Set(false)) x = input.Detach().Contiguous();
        var output = Tensor.Empty(input.ShapeRef, input.DType, input.Device);
        var mask = Tensor.Empty(input.ShapeRef, DType.Bool, input.Device);
        long n = input.Numel();
        var blocks = input.DType == DType.Float64 ? RandomLayout.BlocksFor64(n) : RandomLayout.BlocksFor32(n);
        Backend.For(input).Dropout(output, mask, x, p, RandomFill.Resolve(generator).Reserve(blocks));
        // released at once rather than by finalizer (x is a view or a copy of the input; the mask only serves a backward)
        x.Dispose();
        if (Graph.ShouldRecord(input))
            Graph.Record(output, input.IsCuda ? "NativeDropoutBackward0" : "MulBackward0", [input], [mask], (g, s, _) => [Backward(g, s[0], p)], ownsSaved: true);
        else
            mask.Dispose();
        return output;
    }

    static Tensor Backward(Tensor gradOutput, Tensor mask, double p)
    {
        // create_graph: the same product in differentiable ops
        if (GradMode.IsEnabled) return gradOutput * (mask.To(gradOutput.DType) / (1 - p));
        Tensor g;
        using (GradMode.Set(false)) g = gradOutput.Detach().Contiguous();
        var gradInput = Tensor.Empty(g.ShapeRef, g.DType, g.Device);
        Backend.For(g).DropoutBackward(gradInput, g, mask, p);
        return gradInput;
    }
}
