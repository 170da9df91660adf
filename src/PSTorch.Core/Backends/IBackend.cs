using PSTorch.Ops;

namespace PSTorch.Backends;

/// <summary>
/// The kernels a device provides. Ops decide shapes, dtypes and autograd; a backend only computes.
/// Tensor arguments may be strided views; inputs already have the broadcast shape of the output
/// (expanded views with zero strides) and the dtype the op computes in.
/// </summary>
internal partial interface IBackend
{
    /// <summary>dst = op(src). Comparison-free: dst has src's dtype.</summary>
    void Unary(UnaryOp op, Tensor dst, Tensor src);

    /// <summary>dst = a op b. For comparisons and logical ops dst is bool; otherwise all share one dtype.</summary>
    void Binary(BinaryOp op, Tensor dst, Tensor a, Tensor b);

    /// <summary>dst = cond ? a : b (cond is bool).</summary>
    void Where(Tensor dst, Tensor cond, Tensor a, Tensor b);

    /// <summary>dst = src, converting dtype (same shape, any strides).</summary>
    void Copy(Tensor dst, Tensor src);

    /// <summary>Sets every element of dst to value.</summary>
    void Fill(Tensor dst, double value);
}
