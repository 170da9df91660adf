using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>The activations <see cref="BiasActivation"/> fuses with a layer's bias: relu, and gelu exact (erf) or with the tanh approximation.</summary>
internal enum BiasActivationKind { Relu, Gelu, GeluTanh }

/// <summary>
/// act(pre + bias) in one pass: the bias add of Linear/Conv1d/Conv2d and the activation after it, with one fused
/// backward. pre is the layer's output without its bias; bias (optional) runs along <c>biasDim</c> (Linear: the last
/// dim, conv: the channels). The node stands for the activation (ReluBackward0 / GeluBackward0, as act(layer(x)) is
/// named in PyTorch); its inputs are the pre-activation and the bias.
/// GELU's backward recomputes pre + bias from the saved pre and bias instead of saving the sum: the sum would cost a
/// second write in the forward and as much memory as pre, which the layer drops otherwise. (Like Linear's weight,
/// the bias then must not change in place between forward and backward; autograd's version check says so.)
/// </summary>
internal static class BiasActivation
{
    public static Tensor Apply(Tensor pre, Tensor? bias, int biasDim, BiasActivationKind kind)
    {
        string name = kind == BiasActivationKind.Relu ? "ReluBackward0" : "GeluBackward0";
        if (!pre.DType.IsFloatingPoint())
            throw new NotSupportedException($"\"{(kind == BiasActivationKind.Relu ? "relu" : "GeluKernelImpl")}\" with a bias not implemented for '{pre.DType.LegacyName()}'");
        int dim = Shapes.WrapDim(biasDim, pre.NDim);
        long channels = pre.Size(dim);
        if (bias != null)
        {
            if (bias.NDim != 1 || bias.Size(0) != channels)
                throw new ArgumentException($"bias_activation: expected bias to be 1-dimensional with {channels} elements (dim {dim} of the input of size {Shapes.Format(pre.ShapeRef)}), but got bias of size {Shapes.Format(bias.ShapeRef)}");
            if (bias.DType != pre.DType || bias.Device != pre.Device)
                throw new InvalidOperationException($"bias_activation: expected bias of the input's dtype and device ({pre.DType.Name()} on {pre.Device}), but got {bias.DType.Name()} on {bias.Device}");
        }
        long inner = Shapes.Numel(pre.ShapeRef.AsSpan(dim + 1));

        var y = Tensor.Empty(pre.ShapeRef, pre.DType, pre.Device);
        Tensor x;
        Tensor? b;
        using (GradMode.Set(false))
        {
            // private objects the node may keep (and dispose) whatever the caller does with pre and bias
            x = Convolution.OwnContiguous(pre);
            b = bias == null ? null : Convolution.OwnContiguous(bias);
        }
        var backend = Backend.For(pre);
        if (y.Numel() > 0) backend.BiasActivation(y, x, b, channels, inner, kind);
        Tensor[] inputs = bias != null ? [pre, bias] : [pre];
        if (!Graph.ShouldRecord(inputs))
        {
            x.Dispose();
            b?.Dispose();
            return y;
        }
        long[] shape = pre.Shape;
        var dtype = pre.DType;
        Func<Tensor, Tensor[], bool[], Tensor?[]> backward = (g, s, needs) =>
        {
            using var copy = g.IsContiguous() ? null : g.Contiguous();
            var gc = copy ?? g;
            var gradPre = Tensor.Empty(shape, dtype, g.Device);
            var gradBias = bias != null && needs[1] ? Tensor.Empty([channels], dtype, g.Device) : null;
            if (gradPre.Numel() == 0) gradBias?.Fill_(0);
            else Backend.For(gc).BiasActivationBackward(gradPre, gradBias, gc, s[0], s.Length > 1 ? s[1] : null, channels, inner, kind);
            if (bias == null) return [gradPre];
            if (needs[0]) return [gradPre, gradBias];
            gradPre.Dispose();
            return [null, gradBias];
        };
        if (kind == BiasActivationKind.Relu)
        {
            // relu's gradient reads the output's sign (threshold_backward), so pre and bias are not needed
            x.Dispose();
            b?.Dispose();
            Graph.Record(y, name, inputs, [y], backward);
        }
        else Graph.Record(y, name, inputs, b != null ? [x, b] : [x], backward, ownsSaved: true);
        return y;
    }
}
