namespace PSTorch;

/// <summary>torch.* forms of the rounding, transcendental and float-classification functions, the binary math functions and lerp/addcmul/addcdiv.</summary>
public static partial class Torch
{
    public static Tensor Floor(Tensor input) => input.Floor();
    public static Tensor Ceil(Tensor input) => input.Ceil();
    public static Tensor Round(Tensor input) => input.Round();
    public static Tensor Round(Tensor input, long decimals) => input.Round(decimals);
    public static Tensor Trunc(Tensor input) => input.Trunc();
    public static Tensor Fix(Tensor input) => input.Fix();
    public static Tensor Frac(Tensor input) => input.Frac();
    public static Tensor Sgn(Tensor input) => input.Sgn();
    public static Tensor Positive(Tensor input) => input.Positive();
    public static Tensor Log1p(Tensor input) => input.Log1p();
    public static Tensor Expm1(Tensor input) => input.Expm1();
    public static Tensor Log2(Tensor input) => input.Log2();
    public static Tensor Log10(Tensor input) => input.Log10();
    public static Tensor Exp2(Tensor input) => input.Exp2();
    public static Tensor Tan(Tensor input) => input.Tan();
    public static Tensor Asin(Tensor input) => input.Asin();
    public static Tensor Acos(Tensor input) => input.Acos();
    public static Tensor Atan(Tensor input) => input.Atan();
    public static Tensor Sinh(Tensor input) => input.Sinh();
    public static Tensor Cosh(Tensor input) => input.Cosh();
    public static Tensor Asinh(Tensor input) => input.Asinh();
    public static Tensor Acosh(Tensor input) => input.Acosh();
    public static Tensor Atanh(Tensor input) => input.Atanh();
    public static Tensor Arcsin(Tensor input) => input.Asin();
    public static Tensor Arccos(Tensor input) => input.Acos();
    public static Tensor Arctan(Tensor input) => input.Atan();
    public static Tensor Arcsinh(Tensor input) => input.Asinh();
    public static Tensor Arccosh(Tensor input) => input.Acosh();
    public static Tensor Arctanh(Tensor input) => input.Atanh();
    public static Tensor Erf(Tensor input) => input.Erf();
    public static Tensor Erfc(Tensor input) => input.Erfc();
    public static Tensor Erfinv(Tensor input) => input.Erfinv();
    public static Tensor Sinc(Tensor input) => input.Sinc();
    public static Tensor Deg2rad(Tensor input) => input.Deg2rad();
    public static Tensor Rad2deg(Tensor input) => input.Rad2deg();
    public static Tensor Logit(Tensor input, double? eps = null) => input.Logit(eps);
    public static Tensor NanToNum(Tensor input, double nan = 0, double? posinf = null, double? neginf = null) => input.NanToNum(nan, posinf, neginf);
    public static Tensor IsNan(Tensor input) => input.IsNan();
    public static Tensor IsInf(Tensor input) => input.IsInf();
    public static Tensor IsPosInf(Tensor input) => input.IsPosInf();
    public static Tensor IsNegInf(Tensor input) => input.IsNegInf();
    public static Tensor IsFinite(Tensor input) => input.IsFinite();
    public static Tensor Signbit(Tensor input) => input.Signbit();

    public static Tensor Atan2(Tensor input, Tensor other) => input.Atan2(other);
    public static Tensor Arctan2(Tensor input, Tensor other) => input.Atan2(other);
    public static Tensor Hypot(Tensor input, Tensor other) => input.Hypot(other);
    public static Tensor Xlogy(Tensor input, Tensor other) => input.Xlogy(other);
    public static Tensor Xlogy(Tensor input, double other) => input.Xlogy(other);
    /// <summary>xlogy(self: number, other: tensor).</summary>
    public static Tensor Xlogy(double input, Tensor other) => Ops.Binary.Apply(Ops.BinaryOp.Xlogy, Tensor.Wrap(input), other);
    public static Tensor Copysign(Tensor input, Tensor other) => input.Copysign(other);
    public static Tensor Copysign(Tensor input, double other) => input.Copysign(other);
    public static Tensor Fmax(Tensor input, Tensor other) => input.Fmax(other);
    public static Tensor Fmin(Tensor input, Tensor other) => input.Fmin(other);
    public static Tensor Logaddexp(Tensor input, Tensor other) => input.Logaddexp(other);
    public static Tensor Logaddexp2(Tensor input, Tensor other) => input.Logaddexp2(other);
    public static Tensor FloatPower(Tensor input, Tensor exponent) => input.FloatPower(exponent);
    public static Tensor FloatPower(Tensor input, double exponent) => input.FloatPower(exponent);
    /// <summary>float_power(self: number, exponent: tensor).</summary>
    public static Tensor FloatPower(double input, Tensor exponent) => Ops.MathCompositions.FloatPower(Tensor.Wrap(input), exponent);

    public static Tensor Lerp(Tensor input, Tensor end, double weight) => input.Lerp(end, weight);
    public static Tensor Lerp(Tensor input, Tensor end, Tensor weight) => input.Lerp(end, weight);
    public static Tensor Addcmul(Tensor input, Tensor tensor1, Tensor tensor2, double value = 1) => input.Addcmul(tensor1, tensor2, value);
    public static Tensor Addcdiv(Tensor input, Tensor tensor1, Tensor tensor2, double value = 1) => input.Addcdiv(tensor1, tensor2, value);
}
