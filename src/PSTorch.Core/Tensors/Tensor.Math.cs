using PSTorch.Ops;

namespace PSTorch;

/// <summary>Elementwise arithmetic, math and comparison methods and the C#/PowerShell operators.</summary>
public partial class Tensor
{
    /// <summary>A scalar from C# or PowerShell wrapped as a zero-dimensional tensor (it takes part in type promotion only by category).</summary>
    internal bool IsWrappedNumber { get; private init; }

    internal static Tensor Wrap(double v) => WrapScalar(v, DType.Float64);
    internal static Tensor Wrap(long v) => WrapScalar(v, DType.Int64);
    internal static Tensor Wrap(bool v) => WrapScalar(v ? 1 : 0, DType.Bool);

    static Tensor WrapScalar(double v, DType dtype)
    {
        var t = Empty([], dtype, Device.Cpu);
        var w = new Tensor(t.storage, [], [], 0, dtype, t.VersionCounter, shareStorage: false) { IsWrappedNumber = true };
        if (dtype == DType.Int64) unsafe { *w.Ptr<long>() = (long)v; }
        else w.Fill_(v);
        return w;
    }

    Tensor Un(UnaryOp op) => Unary.Apply(op, this);
    Tensor UnInPlace(UnaryOp op) => Unary.ApplyInPlace(op, this);

    public Tensor Neg() => Un(UnaryOp.Neg);
    public Tensor Neg_() => UnInPlace(UnaryOp.Neg);
    public Tensor Abs() => Un(UnaryOp.Abs);
    public Tensor Abs_() => UnInPlace(UnaryOp.Abs);
    public Tensor Relu() => Un(UnaryOp.Relu);
    public Tensor Relu_() => UnInPlace(UnaryOp.Relu);
    public Tensor Sign() => Un(UnaryOp.Sign);
    public Tensor Sign_() => UnInPlace(UnaryOp.Sign);
    public Tensor Exp() => Un(UnaryOp.Exp);
    public Tensor Exp_() => UnInPlace(UnaryOp.Exp);
    public Tensor Log() => Un(UnaryOp.Log);
    public Tensor Log_() => UnInPlace(UnaryOp.Log);
    public Tensor Sqrt() => Un(UnaryOp.Sqrt);
    public Tensor Sqrt_() => UnInPlace(UnaryOp.Sqrt);
    public Tensor Rsqrt() => Un(UnaryOp.Rsqrt);
    public Tensor Rsqrt_() => UnInPlace(UnaryOp.Rsqrt);
    public Tensor Sin() => Un(UnaryOp.Sin);
    public Tensor Sin_() => UnInPlace(UnaryOp.Sin);
    public Tensor Cos() => Un(UnaryOp.Cos);
    public Tensor Cos_() => UnInPlace(UnaryOp.Cos);
    public Tensor Tanh() => Un(UnaryOp.Tanh);
    public Tensor Tanh_() => UnInPlace(UnaryOp.Tanh);
    public Tensor Sigmoid() => Un(UnaryOp.Sigmoid);
    public Tensor Sigmoid_() => UnInPlace(UnaryOp.Sigmoid);
    public Tensor Reciprocal() => Un(UnaryOp.Reciprocal);
    public Tensor Reciprocal_() => UnInPlace(UnaryOp.Reciprocal);
    public Tensor LogicalNot() => Un(UnaryOp.LogicalNot);

    Tensor Bin(BinaryOp op, Tensor other) => Binary.Apply(op, this, other);
    Tensor BinInPlace(BinaryOp op, Tensor other) => Binary.ApplyInPlace(op, this, other);

    public Tensor Add(Tensor other) => Bin(BinaryOp.Add, other);
    public Tensor Add(long other) => Bin(BinaryOp.Add, Wrap(other));
    public Tensor Add(double other) => Bin(BinaryOp.Add, Wrap(other));
    public Tensor Add_(Tensor other) => BinInPlace(BinaryOp.Add, other);
    public Tensor Add_(long other) => BinInPlace(BinaryOp.Add, Wrap(other));
    public Tensor Add_(double other) => BinInPlace(BinaryOp.Add, Wrap(other));
    public Tensor Sub(Tensor other) => Bin(BinaryOp.Sub, other);
    public Tensor Sub(long other) => Bin(BinaryOp.Sub, Wrap(other));
    public Tensor Sub(double other) => Bin(BinaryOp.Sub, Wrap(other));
    public Tensor Sub_(Tensor other) => BinInPlace(BinaryOp.Sub, other);
    public Tensor Sub_(long other) => BinInPlace(BinaryOp.Sub, Wrap(other));
    public Tensor Sub_(double other) => BinInPlace(BinaryOp.Sub, Wrap(other));
    public Tensor Mul(Tensor other) => Bin(BinaryOp.Mul, other);
    public Tensor Mul(long other) => Bin(BinaryOp.Mul, Wrap(other));
    public Tensor Mul(double other) => Bin(BinaryOp.Mul, Wrap(other));
    public Tensor Mul_(Tensor other) => BinInPlace(BinaryOp.Mul, other);
    public Tensor Mul_(long other) => BinInPlace(BinaryOp.Mul, Wrap(other));
    public Tensor Mul_(double other) => BinInPlace(BinaryOp.Mul, Wrap(other));
    public Tensor Div(Tensor other) => Bin(BinaryOp.Div, other);
    public Tensor Div(long other) => Bin(BinaryOp.Div, Wrap(other));
    public Tensor Div(double other) => Bin(BinaryOp.Div, Wrap(other));
    public Tensor Div_(Tensor other) => BinInPlace(BinaryOp.Div, other);
    public Tensor Div_(long other) => BinInPlace(BinaryOp.Div, Wrap(other));
    public Tensor Div_(double other) => BinInPlace(BinaryOp.Div, Wrap(other));
    public Tensor Pow(Tensor other) => Bin(BinaryOp.Pow, other);
    public Tensor Pow(long other) => Bin(BinaryOp.Pow, Wrap(other));
    public Tensor Pow(double other) => Bin(BinaryOp.Pow, Wrap(other));
    public Tensor Pow_(Tensor other) => BinInPlace(BinaryOp.Pow, other);
    public Tensor Pow_(long other) => BinInPlace(BinaryOp.Pow, Wrap(other));
    public Tensor Pow_(double other) => BinInPlace(BinaryOp.Pow, Wrap(other));
    public Tensor Maximum(Tensor other) => Bin(BinaryOp.Maximum, other);
    public Tensor Minimum(Tensor other) => Bin(BinaryOp.Minimum, other);
    public Tensor Eq(Tensor other) => Bin(BinaryOp.Eq, other);
    public Tensor Eq(long other) => Bin(BinaryOp.Eq, Wrap(other));
    public Tensor Eq(double other) => Bin(BinaryOp.Eq, Wrap(other));
    public Tensor Ne(Tensor other) => Bin(BinaryOp.Ne, other);
    public Tensor Ne(long other) => Bin(BinaryOp.Ne, Wrap(other));
    public Tensor Ne(double other) => Bin(BinaryOp.Ne, Wrap(other));
    public Tensor Lt(Tensor other) => Bin(BinaryOp.Lt, other);
    public Tensor Lt(long other) => Bin(BinaryOp.Lt, Wrap(other));
    public Tensor Lt(double other) => Bin(BinaryOp.Lt, Wrap(other));
    public Tensor Le(Tensor other) => Bin(BinaryOp.Le, other);
    public Tensor Le(long other) => Bin(BinaryOp.Le, Wrap(other));
    public Tensor Le(double other) => Bin(BinaryOp.Le, Wrap(other));
    public Tensor Gt(Tensor other) => Bin(BinaryOp.Gt, other);
    public Tensor Gt(long other) => Bin(BinaryOp.Gt, Wrap(other));
    public Tensor Gt(double other) => Bin(BinaryOp.Gt, Wrap(other));
    public Tensor Ge(Tensor other) => Bin(BinaryOp.Ge, other);
    public Tensor Ge(long other) => Bin(BinaryOp.Ge, Wrap(other));
    public Tensor Ge(double other) => Bin(BinaryOp.Ge, Wrap(other));
    public Tensor LogicalAnd(Tensor other) => Bin(BinaryOp.LogicalAnd, other);
    public Tensor LogicalOr(Tensor other) => Bin(BinaryOp.LogicalOr, other);
    public Tensor LogicalXor(Tensor other) => Bin(BinaryOp.LogicalXor, other);

    public static Tensor operator +(Tensor a, Tensor b) => a.Bin(BinaryOp.Add, b);
    public static Tensor operator +(Tensor a, long b) => a.Bin(BinaryOp.Add, Wrap(b));
    public static Tensor operator +(long a, Tensor b) => Binary.Apply(BinaryOp.Add, Wrap(a), b);
    public static Tensor operator +(Tensor a, double b) => a.Bin(BinaryOp.Add, Wrap(b));
    public static Tensor operator +(double a, Tensor b) => Binary.Apply(BinaryOp.Add, Wrap(a), b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Bin(BinaryOp.Sub, b);
    public static Tensor operator -(Tensor a, long b) => a.Bin(BinaryOp.Sub, Wrap(b));
    public static Tensor operator -(long a, Tensor b) => Binary.Apply(BinaryOp.Sub, Wrap(a), b);
    public static Tensor operator -(Tensor a, double b) => a.Bin(BinaryOp.Sub, Wrap(b));
    public static Tensor operator -(double a, Tensor b) => Binary.Apply(BinaryOp.Sub, Wrap(a), b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Bin(BinaryOp.Mul, b);
    public static Tensor operator *(Tensor a, long b) => a.Bin(BinaryOp.Mul, Wrap(b));
    public static Tensor operator *(long a, Tensor b) => Binary.Apply(BinaryOp.Mul, Wrap(a), b);
    public static Tensor operator *(Tensor a, double b) => a.Bin(BinaryOp.Mul, Wrap(b));
    public static Tensor operator *(double a, Tensor b) => Binary.Apply(BinaryOp.Mul, Wrap(a), b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Bin(BinaryOp.Div, b);
    public static Tensor operator /(Tensor a, long b) => a.Bin(BinaryOp.Div, Wrap(b));
    public static Tensor operator /(long a, Tensor b) => Binary.Apply(BinaryOp.Div, Wrap(a), b);
    public static Tensor operator /(Tensor a, double b) => a.Bin(BinaryOp.Div, Wrap(b));
    public static Tensor operator /(double a, Tensor b) => Binary.Apply(BinaryOp.Div, Wrap(a), b);
    public static Tensor operator -(Tensor a) => a.Neg();
    // & | ^ are PyTorch's: bitwise on integers, logical on bool (Tensor.IntegerDivision.cs)
    public static Tensor operator &(Tensor a, Tensor b) => a.BitwiseAnd(b);
    public static Tensor operator |(Tensor a, Tensor b) => a.BitwiseOr(b);
    public static Tensor operator ^(Tensor a, Tensor b) => a.BitwiseXor(b);
    public static Tensor operator !(Tensor a) => a.LogicalNot();

    // Comparison operators return bool tensors, as in PyTorch; equality of tensor objects is Equals/ReferenceEquals.
    public static Tensor operator ==(Tensor a, long b) => a.Eq(b);
    public static Tensor operator ==(Tensor a, double b) => a.Eq(b);
    public static Tensor operator !=(Tensor a, long b) => a.Ne(b);
    public static Tensor operator !=(Tensor a, double b) => a.Ne(b);
    public static Tensor operator <(Tensor a, Tensor b) => a.Lt(b);
    public static Tensor operator <(Tensor a, long b) => a.Lt(b);
    public static Tensor operator <(Tensor a, double b) => a.Lt(b);
    public static Tensor operator >(Tensor a, Tensor b) => a.Gt(b);
    public static Tensor operator >(Tensor a, long b) => a.Gt(b);
    public static Tensor operator >(Tensor a, double b) => a.Gt(b);
    public static Tensor operator <=(Tensor a, Tensor b) => a.Le(b);
    public static Tensor operator <=(Tensor a, long b) => a.Le(b);
    public static Tensor operator <=(Tensor a, double b) => a.Le(b);
    public static Tensor operator >=(Tensor a, Tensor b) => a.Ge(b);
    public static Tensor operator >=(Tensor a, long b) => a.Ge(b);
    public static Tensor operator >=(Tensor a, double b) => a.Ge(b);
}
