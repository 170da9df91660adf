using PSTorch.Ops;

namespace PSTorch;

/// <summary>
/// Rounding, exponential, logarithmic, trigonometric, hyperbolic and error functions, float classification
/// (isnan, isinf, signbit, ...), the binary math functions (atan2, hypot, xlogy, copysign, fmax, fmin, logaddexp,
/// float_power) and lerp/addcmul/addcdiv, with their in-place forms.
/// </summary>
public partial class Tensor
{
    /// <summary>floor, ceil, round (half to even) and trunc keep integer dtypes (a copy) and have zero gradients.</summary>
    public Tensor Floor() => Un(UnaryOp.Floor);
    public Tensor Floor_() => UnInPlace(UnaryOp.Floor);
    public Tensor Ceil() => Un(UnaryOp.Ceil);
    public Tensor Ceil_() => UnInPlace(UnaryOp.Ceil);
    public Tensor Round() => Un(UnaryOp.Round);
    public Tensor Round_() => UnInPlace(UnaryOp.Round);
    /// <summary>round(decimals): half to even at 10^-decimals (negative decimals round to tens, hundreds, ...); floating dtypes only.</summary>
    public Tensor Round(long decimals) => MathCompositions.Round(this, decimals);
    public Tensor Round_(long decimals) => CompositeInPlace.Assign(this, x => MathCompositions.Round(x, decimals));
    public Tensor Trunc() => Un(UnaryOp.Trunc);
    public Tensor Trunc_() => UnInPlace(UnaryOp.Trunc);
    /// <summary>fix: an alias of trunc.</summary>
    public Tensor Fix() => Trunc();
    public Tensor Fix_() => Trunc_();
    /// <summary>frac: x - trunc(x), with x's sign; floating dtypes only.</summary>
    public Tensor Frac() => Un(UnaryOp.Frac);
    public Tensor Frac_() => UnInPlace(UnaryOp.Frac);
    /// <summary>sgn: sign for real dtypes (SgnBackward0).</summary>
    public Tensor Sgn() => Un(UnaryOp.Sgn);
    public Tensor Sgn_() => UnInPlace(UnaryOp.Sgn);
    /// <summary>positive: this tensor itself; bool tensors are refused as PyTorch's unary +.</summary>
    public Tensor Positive() => DType == DType.Bool
        ? throw new InvalidOperationException("The `+` operator, on a bool tensor is not supported.")
        : this;

    // Floating-point results: integer and bool inputs promote to the default float dtype.
    public Tensor Log1p() => Un(UnaryOp.Log1p);
    public Tensor Log1p_() => UnInPlace(UnaryOp.Log1p);
    public Tensor Expm1() => Un(UnaryOp.Expm1);
    public Tensor Expm1_() => UnInPlace(UnaryOp.Expm1);
    public Tensor Log2() => Un(UnaryOp.Log2);
    public Tensor Log2_() => UnInPlace(UnaryOp.Log2);
    public Tensor Log10() => Un(UnaryOp.Log10);
    public Tensor Log10_() => UnInPlace(UnaryOp.Log10);
    public Tensor Exp2() => Un(UnaryOp.Exp2);
    public Tensor Exp2_() => UnInPlace(UnaryOp.Exp2);
    public Tensor Tan() => Un(UnaryOp.Tan);
    public Tensor Tan_() => UnInPlace(UnaryOp.Tan);
    public Tensor Asin() => Un(UnaryOp.Asin);
    public Tensor Asin_() => UnInPlace(UnaryOp.Asin);
    public Tensor Acos() => Un(UnaryOp.Acos);
    public Tensor Acos_() => UnInPlace(UnaryOp.Acos);
    public Tensor Atan() => Un(UnaryOp.Atan);
    public Tensor Atan_() => UnInPlace(UnaryOp.Atan);
    public Tensor Sinh() => Un(UnaryOp.Sinh);
    public Tensor Sinh_() => UnInPlace(UnaryOp.Sinh);
    public Tensor Cosh() => Un(UnaryOp.Cosh);
    public Tensor Cosh_() => UnInPlace(UnaryOp.Cosh);
    public Tensor Asinh() => Un(UnaryOp.Asinh);
    public Tensor Asinh_() => UnInPlace(UnaryOp.Asinh);
    public Tensor Acosh() => Un(UnaryOp.Acosh);
    public Tensor Acosh_() => UnInPlace(UnaryOp.Acosh);
    public Tensor Atanh() => Un(UnaryOp.Atanh);
    public Tensor Atanh_() => UnInPlace(UnaryOp.Atanh);
    // PyTorch's arc* aliases
    public Tensor Arcsin() => Asin();
    public Tensor Arcsin_() => Asin_();
    public Tensor Arccos() => Acos();
    public Tensor Arccos_() => Acos_();
    public Tensor Arctan() => Atan();
    public Tensor Arctan_() => Atan_();
    public Tensor Arcsinh() => Asinh();
    public Tensor Arcsinh_() => Asinh_();
    public Tensor Arccosh() => Acosh();
    public Tensor Arccosh_() => Acosh_();
    public Tensor Arctanh() => Atanh();
    public Tensor Arctanh_() => Atanh_();
    public Tensor Erf() => Un(UnaryOp.Erf);
    public Tensor Erf_() => UnInPlace(UnaryOp.Erf);
    public Tensor Erfc() => Un(UnaryOp.Erfc);
    public Tensor Erfc_() => UnInPlace(UnaryOp.Erfc);
    /// <summary>erfinv: the inverse of erf on [-1, 1] (±inf at ±1, NaN outside).</summary>
    public Tensor Erfinv() => Un(UnaryOp.Erfinv);
    public Tensor Erfinv_() => UnInPlace(UnaryOp.Erfinv);
    /// <summary>sinc: sin(pi x) / (pi x), 1 at 0.</summary>
    public Tensor Sinc() => Un(UnaryOp.Sinc);
    public Tensor Sinc_() => UnInPlace(UnaryOp.Sinc);
    public Tensor Deg2rad() => Un(UnaryOp.Deg2rad);
    public Tensor Deg2rad_() => UnInPlace(UnaryOp.Deg2rad);
    public Tensor Rad2deg() => Un(UnaryOp.Rad2deg);
    public Tensor Rad2deg_() => UnInPlace(UnaryOp.Rad2deg);

    /// <summary>logit(eps): log(p / (1 - p)); with eps, p is first clamped to [eps, 1 - eps].</summary>
    public Tensor Logit(double? eps = null) => MathCompositions.Logit(this, eps);
    public Tensor Logit_(double? eps = null) => CompositeInPlace.Assign(this, x => MathCompositions.Logit(x, eps));

    /// <summary>nan_to_num: NaN to nan, ±inf to posinf/neginf (default: the dtype's largest/lowest finite value).</summary>
    public Tensor NanToNum(double nan = 0, double? posinf = null, double? neginf = null) => FloatClassification.NanToNum(this, nan, posinf, neginf);
    public Tensor NanToNum_(double nan = 0, double? posinf = null, double? neginf = null) =>
        CompositeInPlace.Assign(this, x => FloatClassification.NanToNum(x, nan, posinf, neginf));

    // Bool results; integer and bool tensors are never NaN or infinite.
    public Tensor IsNan() => FloatClassification.IsNan(this);
    public Tensor IsInf() => FloatClassification.IsInf(this);
    public Tensor IsPosInf() => FloatClassification.IsPosInf(this);
    public Tensor IsNegInf() => FloatClassification.IsNegInf(this);
    public Tensor IsFinite() => FloatClassification.IsFinite(this);
    /// <summary>signbit: whether the sign bit is set (true for -0.0).</summary>
    public Tensor Signbit() => FloatClassification.Signbit(this);

    /// <summary>atan2(this, other): the angle of (other, this), in (-pi, pi]; integers promote to the default float dtype.</summary>
    public Tensor Atan2(Tensor other) => Bin(BinaryOp.Atan2, other);
    public Tensor Atan2_(Tensor other) => BinInPlace(BinaryOp.Atan2, other);
    public Tensor Arctan2(Tensor other) => Atan2(other);
    public Tensor Arctan2_(Tensor other) => Atan2_(other);
    /// <summary>hypot: sqrt(this^2 + other^2) without overflow; floating dtypes only.</summary>
    public Tensor Hypot(Tensor other) => Bin(BinaryOp.Hypot, other);
    public Tensor Hypot_(Tensor other) => BinInPlace(BinaryOp.Hypot, other);
    /// <summary>xlogy: this * log(other), 0 where this is 0 (unless other is NaN).</summary>
    public Tensor Xlogy(Tensor other) => Bin(BinaryOp.Xlogy, other);
    public Tensor Xlogy(double other) => Bin(BinaryOp.Xlogy, Wrap(other));
    public Tensor Xlogy_(Tensor other) => BinInPlace(BinaryOp.Xlogy, other);
    public Tensor Xlogy_(double other) => BinInPlace(BinaryOp.Xlogy, Wrap(other));
    /// <summary>copysign: this's magnitude with other's sign (the sign bit: -0.0 counts as negative).</summary>
    public Tensor Copysign(Tensor other) => Bin(BinaryOp.Copysign, other);
    public Tensor Copysign(double other) => Bin(BinaryOp.Copysign, Wrap(other));
    public Tensor Copysign_(Tensor other) => BinInPlace(BinaryOp.Copysign, other);
    public Tensor Copysign_(double other) => BinInPlace(BinaryOp.Copysign, Wrap(other));
    /// <summary>fmax/fmin: the larger/smaller, ignoring a NaN unless both are NaN (maximum/minimum propagate NaN).</summary>
    public Tensor Fmax(Tensor other) => Bin(BinaryMath.NanIgnoring(BinaryOp.Fmax, this, other), other);
    public Tensor Fmin(Tensor other) => Bin(BinaryMath.NanIgnoring(BinaryOp.Fmin, this, other), other);
    /// <summary>logaddexp: log(e^this + e^other); logaddexp2 the same in base 2. Floating dtypes only.</summary>
    public Tensor Logaddexp(Tensor other) => Bin(BinaryOp.Logaddexp, other);
    public Tensor Logaddexp2(Tensor other) => Bin(BinaryOp.Logaddexp2, other);
    /// <summary>float_power: pow in float64 whatever the inputs' dtypes.</summary>
    public Tensor FloatPower(Tensor exponent) => MathCompositions.FloatPower(this, exponent);
    public Tensor FloatPower(double exponent) => MathCompositions.FloatPower(this, Wrap(exponent));
    public Tensor FloatPower_(Tensor exponent) => MathCompositions.FloatPowerInPlace(this, exponent);
    public Tensor FloatPower_(double exponent) => MathCompositions.FloatPowerInPlace(this, Wrap(exponent));

    /// <summary>lerp: this + weight * (end - this); this, end and a tensor weight share one floating dtype.</summary>
    public Tensor Lerp(Tensor end, double weight) => PointwiseTernary.Lerp(this, end, weight);
    public Tensor Lerp(Tensor end, Tensor weight) => PointwiseTernary.Lerp(this, end, weight);
    public Tensor Lerp_(Tensor end, double weight) => CompositeInPlace.Assign(this, x => PointwiseTernary.Lerp(x, end, weight), end);
    public Tensor Lerp_(Tensor end, Tensor weight) => CompositeInPlace.Assign(this, x => PointwiseTernary.Lerp(x, end, weight), end, weight);
    /// <summary>addcmul: this + value * tensor1 * tensor2.</summary>
    public Tensor Addcmul(Tensor tensor1, Tensor tensor2, double value = 1) => PointwiseTernary.Addcmul(this, tensor1, tensor2, value);
    public Tensor Addcmul_(Tensor tensor1, Tensor tensor2, double value = 1) =>
        CompositeInPlace.Assign(this, x => PointwiseTernary.Addcmul(x, tensor1, tensor2, value), tensor1, tensor2);
    /// <summary>addcdiv: this + value * tensor1 / tensor2 (two integer tensors are refused).</summary>
    public Tensor Addcdiv(Tensor tensor1, Tensor tensor2, double value = 1) => PointwiseTernary.Addcdiv(this, tensor1, tensor2, value);
    public Tensor Addcdiv_(Tensor tensor1, Tensor tensor2, double value = 1) =>
        CompositeInPlace.Assign(this, x => PointwiseTernary.Addcdiv(x, tensor1, tensor2, value), tensor1, tensor2);
}
