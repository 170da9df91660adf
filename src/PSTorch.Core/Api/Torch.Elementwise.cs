namespace PSTorch;

/// <summary>torch.* forms of the elementwise tensor methods (Torch.Add(a, b), Torch.Exp(x), Torch.Clamp(x, 0, 1), ...).</summary>
public static partial class Torch
{
    public static Tensor Add(Tensor input, Tensor other) => input.Add(other);
    public static Tensor Add(Tensor input, Tensor other, double alpha) => input.Add(other, alpha);
    public static Tensor Add(Tensor input, long other) => input.Add(other);
    public static Tensor Add(Tensor input, double other) => input.Add(other);
    public static Tensor Sub(Tensor input, Tensor other) => input.Sub(other);
    public static Tensor Sub(Tensor input, Tensor other, double alpha) => input.Sub(other, alpha);
    public static Tensor Sub(Tensor input, long other) => input.Sub(other);
    public static Tensor Sub(Tensor input, double other) => input.Sub(other);
    public static Tensor Mul(Tensor input, Tensor other) => input.Mul(other);
    public static Tensor Mul(Tensor input, long other) => input.Mul(other);
    public static Tensor Mul(Tensor input, double other) => input.Mul(other);
    public static Tensor Div(Tensor input, Tensor other) => input.Div(other);
    public static Tensor Div(Tensor input, long other) => input.Div(other);
    public static Tensor Div(Tensor input, double other) => input.Div(other);
    public static Tensor Pow(Tensor input, Tensor exponent) => input.Pow(exponent);
    public static Tensor Pow(Tensor input, long exponent) => input.Pow(exponent);
    public static Tensor Pow(Tensor input, double exponent) => input.Pow(exponent);
    /// <summary>pow(self: number, exponent: tensor).</summary>
    public static Tensor Pow(double input, Tensor exponent) => Ops.Binary.Apply(Ops.BinaryOp.Pow, Tensor.Wrap(input), exponent);
    public static Tensor Pow(long input, Tensor exponent) => Ops.Binary.Apply(Ops.BinaryOp.Pow, Tensor.Wrap(input), exponent);
    public static Tensor Square(Tensor input) => input.Square();
    public static Tensor Maximum(Tensor input, Tensor other) => input.Maximum(other);
    public static Tensor Minimum(Tensor input, Tensor other) => input.Minimum(other);

    public static Tensor Neg(Tensor input) => input.Neg();
    public static Tensor Abs(Tensor input) => input.Abs();
    public static Tensor Sign(Tensor input) => input.Sign();
    public static Tensor Exp(Tensor input) => input.Exp();
    public static Tensor Log(Tensor input) => input.Log();
    public static Tensor Sqrt(Tensor input) => input.Sqrt();
    public static Tensor Rsqrt(Tensor input) => input.Rsqrt();
    public static Tensor Sin(Tensor input) => input.Sin();
    public static Tensor Cos(Tensor input) => input.Cos();
    public static Tensor Tanh(Tensor input) => input.Tanh();
    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();
    public static Tensor Relu(Tensor input) => input.Relu();
    public static Tensor Reciprocal(Tensor input) => input.Reciprocal();

    public static Tensor Clamp(Tensor input, double? min = null, double? max = null) => input.Clamp(min, max);
    public static Tensor Clamp(Tensor input, long? min = null, long? max = null) => input.Clamp(min, max);
    public static Tensor Clamp(Tensor input, Tensor? min = null, Tensor? max = null) => input.Clamp(min, max);
    public static Tensor ClampMin(Tensor input, double min) => input.ClampMin(min);
    public static Tensor ClampMin(Tensor input, Tensor min) => input.ClampMin(min);
    public static Tensor ClampMax(Tensor input, double max) => input.ClampMax(max);
    public static Tensor ClampMax(Tensor input, Tensor max) => input.ClampMax(max);

    public static Tensor Eq(Tensor input, Tensor other) => input.Eq(other);
    public static Tensor Eq(Tensor input, double other) => input.Eq(other);
    public static Tensor Ne(Tensor input, Tensor other) => input.Ne(other);
    public static Tensor Ne(Tensor input, double other) => input.Ne(other);
    public static Tensor Lt(Tensor input, Tensor other) => input.Lt(other);
    public static Tensor Lt(Tensor input, double other) => input.Lt(other);
    public static Tensor Le(Tensor input, Tensor other) => input.Le(other);
    public static Tensor Le(Tensor input, double other) => input.Le(other);
    public static Tensor Gt(Tensor input, Tensor other) => input.Gt(other);
    public static Tensor Gt(Tensor input, double other) => input.Gt(other);
    public static Tensor Ge(Tensor input, Tensor other) => input.Ge(other);
    public static Tensor Ge(Tensor input, double other) => input.Ge(other);
    public static Tensor LogicalAnd(Tensor input, Tensor other) => input.LogicalAnd(other);
    public static Tensor LogicalOr(Tensor input, Tensor other) => input.LogicalOr(other);
    public static Tensor LogicalXor(Tensor input, Tensor other) => input.LogicalXor(other);
    public static Tensor LogicalNot(Tensor input) => input.LogicalNot();

    public static Tensor IsClose(Tensor input, Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equalNan = false) => input.IsClose(other, rtol, atol, equalNan);
    public static bool AllClose(Tensor input, Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equalNan = false) => input.AllClose(other, rtol, atol, equalNan);
    public static bool Equal(Tensor input, Tensor other) => input.Equal(other);
}
