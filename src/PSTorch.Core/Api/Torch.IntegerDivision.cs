namespace PSTorch;

/// <summary>torch.div(rounding_mode=), floor_divide, remainder, fmod and the bitwise functions.</summary>
public static partial class Torch
{
    public static Tensor Div(Tensor input, Tensor other, string? roundingMode) => input.Div(other, roundingMode);
    public static Tensor Div(Tensor input, long other, string? roundingMode) => input.Div(other, roundingMode);
    public static Tensor Div(Tensor input, double other, string? roundingMode) => input.Div(other, roundingMode);
    public static Tensor FloorDivide(Tensor input, Tensor other) => input.FloorDivide(other);
    public static Tensor FloorDivide(Tensor input, long other) => input.FloorDivide(other);
    public static Tensor FloorDivide(Tensor input, double other) => input.FloorDivide(other);
    public static Tensor Remainder(Tensor input, Tensor other) => input.Remainder(other);
    public static Tensor Remainder(Tensor input, long other) => input.Remainder(other);
    public static Tensor Remainder(Tensor input, double other) => input.Remainder(other);
    /// <summary>remainder(self: number, other: tensor).</summary>
    public static Tensor Remainder(long input, Tensor other) => input % other;
    public static Tensor Remainder(double input, Tensor other) => input % other;
    public static Tensor Fmod(Tensor input, Tensor other) => input.Fmod(other);
    public static Tensor Fmod(Tensor input, long other) => input.Fmod(other);
    public static Tensor Fmod(Tensor input, double other) => input.Fmod(other);
    public static Tensor BitwiseAnd(Tensor input, Tensor other) => input.BitwiseAnd(other);
    public static Tensor BitwiseAnd(Tensor input, long other) => input.BitwiseAnd(other);
    public static Tensor BitwiseOr(Tensor input, Tensor other) => input.BitwiseOr(other);
    public static Tensor BitwiseOr(Tensor input, long other) => input.BitwiseOr(other);
    public static Tensor BitwiseXor(Tensor input, Tensor other) => input.BitwiseXor(other);
    public static Tensor BitwiseXor(Tensor input, long other) => input.BitwiseXor(other);
    public static Tensor BitwiseNot(Tensor input) => input.BitwiseNot();
}
