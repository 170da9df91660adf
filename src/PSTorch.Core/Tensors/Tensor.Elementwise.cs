using PSTorch.Ops;

namespace PSTorch;

/// <summary>clamp, square, add/sub with alpha, the in-place comparison and logical ops, and closeness tests.</summary>
public partial class Tensor
{
    static Tensor? WrapBound(double? v) => v is { } d ? Wrap(d) : null;
    static Tensor? WrapBound(long? v) => v is { } l ? Wrap(l) : null;

    /// <summary>clamp(min, max): each element limited to [min, max] (either bound may be omitted; min &gt; max gives max).</summary>
    public Tensor Clamp(double? min = null, double? max = null) => Ops.Clamp.Apply(this, WrapBound(min), WrapBound(max));
    public Tensor Clamp(long? min = null, long? max = null) => Ops.Clamp.Apply(this, WrapBound(min), WrapBound(max));
    public Tensor Clamp(Tensor? min = null, Tensor? max = null) => Ops.Clamp.Apply(this, min, max);
    public Tensor Clamp_(double? min = null, double? max = null) => Ops.Clamp.ApplyInPlace(this, WrapBound(min), WrapBound(max));
    public Tensor Clamp_(long? min = null, long? max = null) => Ops.Clamp.ApplyInPlace(this, WrapBound(min), WrapBound(max));
    public Tensor Clamp_(Tensor? min = null, Tensor? max = null) => Ops.Clamp.ApplyInPlace(this, min, max);
    public Tensor ClampMin(double min) => Ops.Clamp.Apply(this, Wrap(min), null);
    public Tensor ClampMin(long min) => Ops.Clamp.Apply(this, Wrap(min), null);
    public Tensor ClampMin(Tensor min) => Ops.Clamp.Apply(this, min, null);
    public Tensor ClampMin_(double min) => Ops.Clamp.ApplyInPlace(this, Wrap(min), null);
    public Tensor ClampMin_(long min) => Ops.Clamp.ApplyInPlace(this, Wrap(min), null);
    public Tensor ClampMin_(Tensor min) => Ops.Clamp.ApplyInPlace(this, min, null);
    public Tensor ClampMax(double max) => Ops.Clamp.Apply(this, null, Wrap(max));
    public Tensor ClampMax(long max) => Ops.Clamp.Apply(this, null, Wrap(max));
    public Tensor ClampMax(Tensor max) => Ops.Clamp.Apply(this, null, max);
    public Tensor ClampMax_(double max) => Ops.Clamp.ApplyInPlace(this, null, Wrap(max));
    public Tensor ClampMax_(long max) => Ops.Clamp.ApplyInPlace(this, null, Wrap(max));
    public Tensor ClampMax_(Tensor max) => Ops.Clamp.ApplyInPlace(this, null, max);

    /// <summary>square(): x ** 2 (PyTorch records it as PowBackward0).</summary>
    public Tensor Square() => Pow(2L);
    public Tensor Square_() => Pow_(2L);

    /// <summary>add(other, alpha): this + alpha * other.</summary>
    public Tensor Add(Tensor other, double alpha) => Add(ScaledByAlpha(other, alpha));
    public Tensor Add_(Tensor other, double alpha) => Add_(ScaledByAlpha(other, alpha));

    /// <summary>sub(other, alpha): this - alpha * other.</summary>
    public Tensor Sub(Tensor other, double alpha) => Sub(ScaledByAlpha(other, alpha));
    public Tensor Sub_(Tensor other, double alpha) => Sub_(ScaledByAlpha(other, alpha));

    /// <summary>alpha * other; for integer results alpha must be a whole number and keeps the integer dtype (PyTorch's alpha_check).</summary>
    Tensor ScaledByAlpha(Tensor other, double alpha)
    {
        if (alpha == 1) return other;
        if (Promotion.ResultType(this, other).IsFloatingPoint()) return other.Mul(alpha);
        if (alpha != Math.Floor(alpha))
            throw new ArgumentException("For integral input tensors, argument alpha must not be a floating point number.");
        return other.Mul((long)alpha);
    }

    // In-place comparisons write 0/1 in this tensor's dtype, as PyTorch's eq_ etc.
    public Tensor Eq_(Tensor other) => BinInPlace(BinaryOp.Eq, other);
    public Tensor Eq_(double other) => BinInPlace(BinaryOp.Eq, Wrap(other));
    public Tensor Ne_(Tensor other) => BinInPlace(BinaryOp.Ne, other);
    public Tensor Ne_(double other) => BinInPlace(BinaryOp.Ne, Wrap(other));
    public Tensor Lt_(Tensor other) => BinInPlace(BinaryOp.Lt, other);
    public Tensor Lt_(double other) => BinInPlace(BinaryOp.Lt, Wrap(other));
    public Tensor Le_(Tensor other) => BinInPlace(BinaryOp.Le, other);
    public Tensor Le_(double other) => BinInPlace(BinaryOp.Le, Wrap(other));
    public Tensor Gt_(Tensor other) => BinInPlace(BinaryOp.Gt, other);
    public Tensor Gt_(double other) => BinInPlace(BinaryOp.Gt, Wrap(other));
    public Tensor Ge_(Tensor other) => BinInPlace(BinaryOp.Ge, other);
    public Tensor Ge_(double other) => BinInPlace(BinaryOp.Ge, Wrap(other));
    public Tensor LogicalAnd_(Tensor other) => BinInPlace(BinaryOp.LogicalAnd, other);
    public Tensor LogicalOr_(Tensor other) => BinInPlace(BinaryOp.LogicalOr, other);
    public Tensor LogicalXor_(Tensor other) => BinInPlace(BinaryOp.LogicalXor, other);
    public Tensor LogicalNot_() => UnInPlace(UnaryOp.LogicalNot);

    /// <summary>isclose: |this - other| &lt;= atol + rtol * |other| elementwise (equal infinities are close; NaNs only with equalNan).</summary>
    public Tensor IsClose(Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equalNan = false) => Closeness.IsClose(this, other, rtol, atol, equalNan);

    /// <summary>allclose: whether every element is close (see <see cref="IsClose"/>).</summary>
    public bool AllClose(Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equalNan = false) => Closeness.AllClose(this, other, rtol, atol, equalNan);

    /// <summary>equal: same shape and the same values.</summary>
    public bool Equal(Tensor other) => Closeness.Equal(this, other);
}
