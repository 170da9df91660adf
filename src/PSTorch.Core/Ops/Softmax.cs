using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>softmax and log_softmax along one dim (max-subtracted in the kernel), with their gradients.</summary>
internal static class Softmax
{
    public static Tensor Apply(Tensor x, int dim, bool log, DType? dtype)
    {
        if (dtype is { } t && t != x.DType) x = x.To(t);
        else if (dtype == null) x = Amp.Autocast.Cast(log ? "log_softmax" : "softmax", x);
        int d = Shapes.WrapDim(dim, x.NDim);
        if (!x.DType.IsFloatingPoint())
        {
            string kernel = d == Math.Max(x.NDim - 1, 0) ? "lastdim_kernel_impl" : "kernel_impl";
            throw new NotSupportedException($"\"{(log ? "log_" : "")}softmax_{kernel}\" not implemented for '{x.DType.LegacyName()}'");
        }
        var y = Tensor.Empty(x.ShapeRef, x.DType, x.Device);
        if (y.Numel() > 0)
        {
            var src = Reduction.Layout(x, [d], out long outer, out long n, out long inner);
            Backend.For(x).Softmax(y, src, outer, n, inner, log);
        }
        if (Graph.ShouldRecord(x))
        {
            if (log)
                Graph.Record(y, "LogSoftmaxBackward0", [x], [y], (g, s, _) => [LogSoftmaxBackward(g, s[0], d)]);
            else
                Graph.Record(y, "SoftmaxBackward0", [x], [y], (g, s, _) => [s[0] * (g - (g * s[0]).Sum(d, keepDim: true))]);
        }
        return y;
    }

    /// <summary>g - exp(y) * sum(g, d): one kernel, or composed ops where the gradient must itself be differentiable.</summary>
    static Tensor LogSoftmaxBackward(Tensor g, Tensor y, int d)
    {
        if (GradMode.IsEnabled || g.DType != y.DType || (y.DType != DType.Float32 && y.DType != DType.Float64))
            return g - y.Exp() * g.Sum(d, keepDim: true);
        var gx = Tensor.Empty(y.ShapeRef, y.DType, y.Device);
        if (gx.Numel() == 0) return gx;
        var go = Reduction.Layout(g, [d], out long outer, out long n, out long inner);
        var yo = Reduction.Layout(y, [d], out _, out _, out _);
        Backend.For(y).LogSoftmaxBackward(gx, go, yo, outer, n, inner);
        return gx;
    }
}
