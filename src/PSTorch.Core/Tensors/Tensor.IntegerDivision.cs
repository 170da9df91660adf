using PSTorch.Ops;

namespace PSTorch;

/// <summary>Rounding division, remainders and bitwise ops: torch.div(rounding_mode=), floor_divide, remainder (% in PyTorch,
/// C# and PowerShell), fmod, bitwise_and/or/xor/not (&amp; | ^ ~).</summary>
public partial class Tensor
{
    /// <summary>div(other, rounding_mode): null is true division, "trunc" rounds toward zero, "floor" toward negative infinity.
    /// With a rounding mode integer inputs stay integer and the gradient is zero.</summary>
    public Tensor Div(Tensor other, string? roundingMode) => Bin(DivisionOp(roundingMode), other);
    public Tensor Div(long other, string? roundingMode) => Bin(DivisionOp(roundingMode), Wrap(other));
    public Tensor Div(double other, string? roundingMode) => Bin(DivisionOp(roundingMode), Wrap(other));
    public Tensor Div_(Tensor other, string? roundingMode) => BinInPlace(DivisionOp(roundingMode), other);
    public Tensor Div_(long other, string? roundingMode) => BinInPlace(DivisionOp(roundingMode), Wrap(other));
    public Tensor Div_(double other, string? roundingMode) => BinInPlace(DivisionOp(roundingMode), Wrap(other));

    static BinaryOp DivisionOp(string? roundingMode) => roundingMode switch
    {
        null => BinaryOp.Div,
        "trunc" => BinaryOp.DivTrunc,
        "floor" => BinaryOp.DivFloor,
        _ => throw new ArgumentException($"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{roundingMode}'"),
    };

    /// <summary>floor_divide(other): the quotient rounded toward negative infinity (Python's //); PyTorch defines no gradient for it.</summary>
    public Tensor FloorDivide(Tensor other) => Bin(BinaryOp.FloorDivide, other);
    public Tensor FloorDivide(long other) => Bin(BinaryOp.FloorDivide, Wrap(other));
    public Tensor FloorDivide(double other) => Bin(BinaryOp.FloorDivide, Wrap(other));
    public Tensor FloorDivide_(Tensor other) => BinInPlace(BinaryOp.FloorDivide, other);
    public Tensor FloorDivide_(long other) => BinInPlace(BinaryOp.FloorDivide, Wrap(other));
    public Tensor FloorDivide_(double other) => BinInPlace(BinaryOp.FloorDivide, Wrap(other));

    /// <summary>remainder(other): this - floor_divide(this, other) * other, with the divisor's sign (Python's %).</summary>
    public Tensor Remainder(Tensor other) => Bin(BinaryOp.Remainder, other);
    public Tensor Remainder(long other) => Bin(BinaryOp.Remainder, Wrap(other));
    public Tensor Remainder(double other) => Bin(BinaryOp.Remainder, Wrap(other));
    public Tensor Remainder_(Tensor other) => BinInPlace(BinaryOp.Remainder, other);
    public Tensor Remainder_(long other) => BinInPlace(BinaryOp.Remainder, Wrap(other));
    public Tensor Remainder_(double other) => BinInPlace(BinaryOp.Remainder, Wrap(other));

    /// <summary>fmod(other): the remainder with the dividend's sign (C's fmod).</summary>
    public Tensor Fmod(Tensor other) => Bin(BinaryOp.Fmod, other);
    public Tensor Fmod(long other) => Bin(BinaryOp.Fmod, Wrap(other));
    public Tensor Fmod(double other) => Bin(BinaryOp.Fmod, Wrap(other));
    public Tensor Fmod_(Tensor other) => BinInPlace(BinaryOp.Fmod, other);
    public Tensor Fmod_(long other) => BinInPlace(BinaryOp.Fmod, Wrap(other));
    public Tensor Fmod_(double other) => BinInPlace(BinaryOp.Fmod, Wrap(other));

    /// <summary>bitwise_and: bitwise on integer tensors, logical on bool tensors; floating-point tensors are an error.</summary>
    public Tensor BitwiseAnd(Tensor other) => Bin(BinaryOp.BitwiseAnd, other);
    public Tensor BitwiseAnd(long other) => Bin(BinaryOp.BitwiseAnd, Wrap(other));
    public Tensor BitwiseAnd(bool other) => Bin(BinaryOp.BitwiseAnd, Wrap(other));
    public Tensor BitwiseAnd_(Tensor other) => BinInPlace(BinaryOp.BitwiseAnd, other);
    public Tensor BitwiseAnd_(long other) => BinInPlace(BinaryOp.BitwiseAnd, Wrap(other));
    public Tensor BitwiseAnd_(bool other) => BinInPlace(BinaryOp.BitwiseAnd, Wrap(other));
    public Tensor BitwiseOr(Tensor other) => Bin(BinaryOp.BitwiseOr, other);
    public Tensor BitwiseOr(long other) => Bin(BinaryOp.BitwiseOr, Wrap(other));
    public Tensor BitwiseOr(bool other) => Bin(BinaryOp.BitwiseOr, Wrap(other));
    public Tensor BitwiseOr_(Tensor other) => BinInPlace(BinaryOp.BitwiseOr, other);
    public Tensor BitwiseOr_(long other) => BinInPlace(BinaryOp.BitwiseOr, Wrap(other));
    public Tensor BitwiseOr_(bool other) => BinInPlace(BinaryOp.BitwiseOr, Wrap(other));
    public Tensor BitwiseXor(Tensor other) => Bin(BinaryOp.BitwiseXor, other);
    public Tensor BitwiseXor(long other) => Bin(BinaryOp.BitwiseXor, Wrap(other));
    public Tensor BitwiseXor(bool other) => Bin(BinaryOp.BitwiseXor, Wrap(other));
    public Tensor BitwiseXor_(Tensor other) => BinInPlace(BinaryOp.BitwiseXor, other);
    public Tensor BitwiseXor_(long other) => BinInPlace(BinaryOp.BitwiseXor, Wrap(other));
    public Tensor BitwiseXor_(bool other) => BinInPlace(BinaryOp.BitwiseXor, Wrap(other));

    /// <summary>bitwise_not: ~x on integer tensors, logical not on bool tensors; floating-point tensors are an error.</summary>
    public Tensor BitwiseNot() => DType == DType.Bool ? LogicalNot() : BitwiseXor(AllOnes());
    public Tensor BitwiseNot_() => DType == DType.Bool ? LogicalNot_() : BitwiseXor_(AllOnes());

    /// <summary>-1 as a wrapped number: every bit set in each integer dtype (x ^ -1 == ~x); a float tensor fails as bitwise_not.</summary>
    Tensor AllOnes()
    {
        if (DType.IsFloatingPoint())
            throw new NotSupportedException($"\"bitwise_not_{(Device.Type == DeviceType.Cuda ? "cuda" : "cpu")}\" not implemented for '{DType.LegacyName()}'");
        return Wrap(-1L);
    }

    public static Tensor operator %(Tensor a, Tensor b) => a.Remainder(b);
    public static Tensor operator %(Tensor a, long b) => a.Remainder(b);
    public static Tensor operator %(Tensor a, double b) => a.Remainder(b);
    public static Tensor operator %(long a, Tensor b) => Binary.Apply(BinaryOp.Remainder, Wrap(a), b);
    public static Tensor operator %(double a, Tensor b) => Binary.Apply(BinaryOp.Remainder, Wrap(a), b);
    public static Tensor operator &(Tensor a, long b) => a.BitwiseAnd(b);
    public static Tensor operator |(Tensor a, long b) => a.BitwiseOr(b);
    public static Tensor operator ^(Tensor a, long b) => a.BitwiseXor(b);
    public static Tensor operator ~(Tensor a) => a.BitwiseNot();
}
