using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

/// <summary>div(rounding_mode=), floor_divide, remainder, fmod and the bitwise ops, against PyTorch's values, dtypes, errors and gradients.</summary>
public class IntegerDivisionAndBitwiseTests
{
    // dividends and divisors of every sign combination, and a zero dividend
    static readonly long[] Dividends = [-7, 7, -7, 7, 0, 6];
    static readonly long[] Divisors = [2, -2, -2, 2, 3, -3];

    static void SameBits(double[] expected, Tensor actual)
    {
        var values = actual.To(DType.Float64).ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
            Assert.True(expected[i].Equals(values[i]) && double.IsNegative(expected[i]) == double.IsNegative(values[i]),
                $"element {i}: expected {expected[i]:R}, got {values[i]:R}");
    }

    [Fact]
    public void IntegerQuotientsAndRemaindersFollowPythonAndC()
    {
        var a = Longs(Dividends);
        var b = Longs(Divisors);
        Assert.Equal([-4L, -4, 3, 3, 0, -2], a.FloorDivide(b).ToArray<long>());
        Assert.Equal([-4L, -4, 3, 3, 0, -2], a.Div(b, "floor").ToArray<long>());
        Assert.Equal([-3L, -3, 3, 3, 0, -2], a.Div(b, "trunc").ToArray<long>());
        Assert.Equal([1L, -1, -1, 1, 0, 0], a.Remainder(b).ToArray<long>());
        Assert.Equal([-1L, 1, -1, 1, 0, 0], a.Fmod(b).ToArray<long>());
        Assert.Equal(DType.Int64, a.FloorDivide(b).DType);
        Assert.Equal(DType.Int64, a.Remainder(b).DType);
        Assert.Equal(DType.Int64, a.Div(b, "trunc").DType);
        // Python: -7 // 2 == -4, -7 % 2 == 1, 7 % -2 == -1; C: fmod(-7, 2) == -1
        Assert.Equal(-4L, Torch.FloorDivide(Longs([-7]), 2L).Item());
        Assert.Equal(1L, Torch.Remainder(Longs([-7]), 2L).Item());
        Assert.Equal(-1L, Torch.Remainder(Longs([7]), -2L).Item());
        Assert.Equal(-1L, Torch.Fmod(Longs([-7]), 2L).Item());
    }

    [Theory]
    [InlineData(DType.Int32)]
    [InlineData(DType.Int16)]
    [InlineData(DType.Int8)]
    public void SmallerSignedIntegersKeepTheirDType(DType dtype)
    {
        var a = Longs(Dividends).To(dtype);
        var b = Longs(Divisors).To(dtype);
        var floor = a.FloorDivide(b);
        Assert.Equal(dtype, floor.DType);
        Assert.Equal([-4L, -4, 3, 3, 0, -2], floor.To(DType.Int64).ToArray<long>());
        Assert.Equal([1L, -1, -1, 1, 0, 0], a.Remainder(b).To(DType.Int64).ToArray<long>());
        Assert.Equal([-1L, 1, -1, 1, 0, 0], a.Fmod(b).To(DType.Int64).ToArray<long>());
        Assert.Equal(dtype, a.Remainder(2L).DType);
    }

    [Fact]
    public void UnsignedBytesDivideWithoutSigns()
    {
        var a = Longs([7, 200, 255]).To(DType.UInt8);
        Assert.Equal(new byte[] { 3, 100, 127 }, a.FloorDivide(2L).ToArray<byte>());
        Assert.Equal(new byte[] { 1, 0, 1 }, a.Remainder(2L).ToArray<byte>());
        Assert.Equal(new byte[] { 1, 0, 1 }, a.Fmod(2L).ToArray<byte>());
        Assert.Equal(DType.UInt8, a.FloorDivide(2L).DType);
    }

    [Fact]
    public void MinimumDividedByMinusOneWrapsInsteadOfTrapping()
    {
        var a = Longs([long.MinValue, 5]);
        var minusOne = Longs([-1, -1]);
        Assert.Equal([long.MinValue, -5], a.FloorDivide(minusOne).ToArray<long>());
        Assert.Equal([long.MinValue, -5], a.Div(minusOne, "trunc").ToArray<long>());
        Assert.Equal([0L, 0], a.Remainder(minusOne).ToArray<long>());
        Assert.Equal([0L, 0], a.Fmod(minusOne).ToArray<long>());
        Assert.Equal([-128L], Longs([-128]).To(DType.Int8).FloorDivide(-1L).To(DType.Int64).ToArray<long>());
    }

    [Fact]
    public void IntegerDivisionByZeroRaisesZeroDivisionError()
    {
        var a = Longs([1, 2, 3]);
        var b = Longs([1, 0, 1]);
        Assert.Equal("ZeroDivisionError", Assert.Throws<DivideByZeroException>(() => a.FloorDivide(b)).Message);
        Assert.Equal("ZeroDivisionError", Assert.Throws<DivideByZeroException>(() => a.Div(b, "trunc")).Message);
        Assert.Equal("ZeroDivisionError", Assert.Throws<DivideByZeroException>(() => a.Div(b, "floor")).Message);
        Assert.Equal("ZeroDivisionError", Assert.Throws<DivideByZeroException>(() => a.Remainder(0L)).Message);
        Assert.Equal("ZeroDivisionError", Assert.Throws<DivideByZeroException>(() => a.Fmod(b)).Message);
        Assert.Equal("ZeroDivisionError", Assert.Throws<DivideByZeroException>(() => a.To(DType.UInt8).Remainder(0L)).Message);
        // large enough to be split over the worker threads: the error still comes out as itself
        var big = Torch.Ones([1 << 17], DType.Int32);
        Assert.Throws<DivideByZeroException>(() => big.FloorDivide(big - 1));
    }

    [Fact]
    public void FloatFloorDivisionMatchesDivFloorFloating()
    {
        var a = Doubles([-7, 7, -7, 7, -7.5, 7.5]);
        var b = Doubles([2, -2, -2, 2, 2, 2]);
        SameBits([-4, -4, 3, 3, -4, 3], a.FloorDivide(b));
        SameBits([-4, -4, 3, 3, -4, 3], a.Div(b, "floor"));
        SameBits([-3, -3, 3, 3, -3, 3], a.Div(b, "trunc"));
        // exact through fmod: -7 / 0.7 rounds to -10.0, but the double 0.7 is a little under 0.7, so the true floor is -11 (Python's -7.0 // 0.7)
        SameBits([-11], Doubles([-7]).Div(Doubles([0.7]), "floor"));
        // signed zeros, infinities and division by zero (IEEE a / b)
        SameBits([-0.0, 0.0, -1, 0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN],
            Doubles([-0.0, 1, -5, 5, 1, -1, 0]).FloorDivide(Doubles([2, 4, double.PositiveInfinity, double.PositiveInfinity, 0, 0, 0])));
        SameBits([-0.0, double.PositiveInfinity, double.NaN], Doubles([-1, 1, 0]).Div(Doubles([4, 0, 0]), "trunc"));
    }

    [Fact]
    public void FloatRemaindersTakeTheDivisorsOrTheDividendsSign()
    {
        var a = Doubles([-7, 7, -7, 7, -7.5, 5.5]);
        var b = Doubles([2, -2, -2, 2, 2, -2]);
        SameBits([1, -1, -1, 1, 0.5, -0.5], a.Remainder(b));
        SameBits([-1, 1, -1, 1, -1.5, 1.5], a.Fmod(b));
        // infinities: fmod keeps a finite dividend, remainder moves it to the divisor's side (PyTorch's mod + b)
        var x = Doubles([5, -5, 5, -0.0, 1]);
        var y = Doubles([double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity, 2, 0]);
        SameBits([5, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.NaN], x.Remainder(y));
        SameBits([5, -5, 5, -0.0, double.NaN], x.Fmod(y));
        Assert.Equal(DType.Float32, Torch.NewTensor(new[] { 1f }).Fmod(2L).DType);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void ReducedPrecisionFloatsKeepTheirDType(DType dtype)
    {
        var a = Doubles([-7, 7, -7.5]).To(dtype);
        var b = Doubles([2, -2, 2]).To(dtype);
        var floor = a.FloorDivide(b);
        Assert.Equal(dtype, floor.DType);
        Close([-4, -4, -4], floor);
        Close([1, -1, 0.5], a.Remainder(b));
        Close([-1, 1, -1.5], a.Fmod(b));
        Close([-3, -3, -3], a.Div(b, "trunc"));
    }

    [Fact]
    public void TypePromotionFollowsTheArithmeticOps()
    {
        var ints = Longs([-7, 7]).To(DType.Int32);
        Assert.Equal(DType.Int32, ints.FloorDivide(2L).DType);
        Assert.Equal(DType.Float32, ints.FloorDivide(2.0).DType);
        Close([-4, 3], ints.FloorDivide(2.0));
        Assert.Equal(DType.Float64, ints.Remainder(Doubles([2, 2])).DType);
        Assert.Equal(DType.Int64, ints.Fmod(Longs([2, 2])).DType);
        Close([0.5, 2], ints.Remainder(2.5));
        // number % tensor and number // tensor
        Assert.Equal([1L, -1], (5L % Longs([2, -2])).ToArray<long>());
        Close([1.5, -0.5], 5.5 % Doubles([2, -2]));
    }

    [Fact]
    public void OperatorPercentIsRemainder()
    {
        var a = Longs([-7, 7]);
        Assert.Equal([1L, -1], (a % Longs([2, -2])).ToArray<long>());
        Assert.Equal([1L, 1], (a % 2L).ToArray<long>());
        Close([1.5, 0.5], Doubles([-6.5, 6.5]) % 2.0);
    }

    [Fact]
    public void BroadcastAndNonContiguousInputs()
    {
        var a = Torch.FromArray(new long[] { -7, -6, -5, 5, 6, 7 }, [2, 3]);
        var b = Longs([2, -3, 4]);
        Assert.Equal([-4L, 2, -2, 2, -2, 1], a.FloorDivide(b).ToArray<long>());
        Assert.Equal([1L, 0, 3, 1, 0, 3], a.Remainder(b).ToArray<long>());
        var t = a.T(); // [3, 2], not contiguous: -7 5 / -6 6 / -5 7
        Assert.False(t.IsContiguous());
        Assert.Equal([-4L, 2, -3, 3, -3, 3], t.FloorDivide(Longs([2, 2])).ToArray<long>());
        Assert.Equal([-1L, 1, 0, 0, -1, 1], t.Fmod(Longs([2, 2])).ToArray<long>());
        var ft = Torch.FromArray(new[] { -7.5, 5.5, -6.0, 6.0 }, [2, 2]).T();
        Close([-4, -3, 2, 3], ft.FloorDivide(2.0));
        Close([0.5, 0, 1.5, 0], ft.Remainder(2.0));
    }

    [Fact]
    public void InPlaceVariantsWriteTheirInputAndCheckTheCast()
    {
        var a = Longs([-7, 7]);
        Assert.Same(a, a.FloorDivide_(2L));
        Assert.Equal([-4L, 3], a.ToArray<long>());
        var r = Longs([-7, 7]);
        r.Remainder_(Longs([3, -3]));
        Assert.Equal([2L, -2], r.ToArray<long>());
        var f = Doubles([-7.5, 7.5]);
        f.Fmod_(2L);
        Close([-1.5, 1.5], f);
        var d = Doubles([-7.5, 7.5]);
        d.Div_(2.0, "trunc");
        Close([-3, 3], d);
        var ints = Longs([1, 2]);
        var error = Assert.Throws<InvalidOperationException>(() => ints.FloorDivide_(2.5));
        Assert.Equal("result type Float can't be cast to the desired output type Long", error.Message);
        var bits = Longs([12, 5]);
        bits.BitwiseAnd_(10L);
        Assert.Equal([8L, 0], bits.ToArray<long>());
        bits.BitwiseOr_(Longs([1, 2]));
        Assert.Equal([9L, 2], bits.ToArray<long>());
        bits.BitwiseXor_(3L);
        Assert.Equal([10L, 1], bits.ToArray<long>());
        bits.BitwiseNot_();
        Assert.Equal([-11L, -2], bits.ToArray<long>());
    }

    [Fact]
    public void BoolAndUnknownRoundingModesAreErrors()
    {
        var t = Torch.NewTensor(new[] { true, false });
        Assert.Equal("\"div_floor_cpu\" not implemented for 'Bool'", Assert.Throws<NotSupportedException>(() => t.FloorDivide(t)).Message);
        Assert.Equal("\"div_trunc_cpu\" not implemented for 'Bool'", Assert.Throws<NotSupportedException>(() => t.Div(t, "trunc")).Message);
        Assert.Equal("\"remainder_cpu\" not implemented for 'Bool'", Assert.Throws<NotSupportedException>(() => t.Remainder(t)).Message);
        Assert.Equal("\"fmod_cpu\" not implemented for 'Bool'", Assert.Throws<NotSupportedException>(() => t.Fmod(t)).Message);
        var error = Assert.Throws<ArgumentException>(() => Doubles([1]).Div(2.0, "round"));
        Assert.Equal("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'round'", error.Message);
        Close([0.5], Doubles([1]).Div(2.0, null));
    }

    [Fact]
    public void BitwiseOpsOnIntegers()
    {
        var a = Longs([12, -1, 5, 0]);
        var b = Longs([10, 3, 4, -8]);
        Assert.Equal([8L, 3, 4, 0], (a & b).ToArray<long>());
        Assert.Equal([14L, -1, 5, -8], (a | b).ToArray<long>());
        Assert.Equal([6L, -4, 1, -8], (a ^ b).ToArray<long>());
        Assert.Equal([-13L, 0, -6, -1], (~a).ToArray<long>());
        Assert.Equal([8L, 3, 4, 0], Torch.BitwiseAnd(a, b).ToArray<long>());
        Assert.Equal([14L, -1, 5, -8], Torch.BitwiseOr(a, b).ToArray<long>());
        Assert.Equal([6L, -4, 1, -8], Torch.BitwiseXor(a, b).ToArray<long>());
        Assert.Equal([-13L, 0, -6, -1], Torch.BitwiseNot(a).ToArray<long>());
        Assert.Equal([0L, 1, 1, 0], (a & 1L).ToArray<long>());
        Assert.Equal(DType.Int64, (a & b).DType);
        // the promoted integer dtype; a number keeps the tensor's
        var small = Longs([6, -3]).To(DType.Int8);
        Assert.Equal(DType.Int64, (small | Longs([1, 1])).DType);
        Assert.Equal(DType.Int8, (small ^ 1L).DType);
        Assert.Equal([7L, -4], (small ^ 1L).To(DType.Int64).ToArray<long>());
        Assert.Equal(DType.Int32, (Longs([1]).To(DType.Int32) & Longs([1]).To(DType.Int16)).DType);
        var bytes = Longs([0, 255, 5]).To(DType.UInt8);
        Assert.Equal(new byte[] { 255, 0, 250 }, (~bytes).ToArray<byte>());
        Assert.Equal(DType.UInt8, (~bytes).DType);
        // bool with an integer tensor promotes to the integer
        var mixed = Torch.NewTensor(new[] { true, false }) & Longs([3, 3]);
        Assert.Equal(DType.Int64, mixed.DType);
        Assert.Equal([1L, 0], mixed.ToArray<long>());
    }

    [Fact]
    public void BitwiseOpsOnBoolAreLogical()
    {
        var p = Torch.NewTensor(new[] { true, true, false, false });
        var q = Torch.NewTensor(new[] { true, false, true, false });
        Assert.Equal(DType.Bool, (p & q).DType);
        Assert.Equal(new[] { true, false, false, false }, (p & q).ToArray<bool>());
        Assert.Equal(new[] { true, true, true, false }, (p | q).ToArray<bool>());
        Assert.Equal(new[] { false, true, true, false }, (p ^ q).ToArray<bool>());
        Assert.Equal(new[] { false, false, true, true }, (~p).ToArray<bool>());
        Assert.Equal(DType.Bool, (~p).DType);
        Assert.Equal(new[] { true, true, false, false }, p.BitwiseAnd(true).ToArray<bool>());
    }

    [Fact]
    public void BitwiseOpsOnFloatsAreErrors()
    {
        var x = Doubles([1, 2]).To(DType.Float32);
        Assert.Equal("\"bitwise_and_cpu\" not implemented for 'Float'", Assert.Throws<NotSupportedException>(() => x & x).Message);
        Assert.Equal("\"bitwise_or_cpu\" not implemented for 'Float'", Assert.Throws<NotSupportedException>(() => x | x).Message);
        Assert.Equal("\"bitwise_xor_cpu\" not implemented for 'Double'", Assert.Throws<NotSupportedException>(() => Doubles([1]) ^ Doubles([1])).Message);
        Assert.Equal("\"bitwise_not_cpu\" not implemented for 'Float'", Assert.Throws<NotSupportedException>(() => ~x).Message);
        // an integer tensor with a float number promotes to float: also an error
        Assert.Equal("\"bitwise_and_cpu\" not implemented for 'Float'", Assert.Throws<NotSupportedException>(() => Longs([1]) & x).Message);
    }

    [Fact]
    public void LogicalOpsStayLogicalForEveryDType()
    {
        var a = Longs([12, 0, 5]);
        var b = Longs([2, 3, 0]);
        var and = a.LogicalAnd(b);
        Assert.Equal(DType.Bool, and.DType);
        Assert.Equal(new[] { true, false, false }, and.ToArray<bool>());
        Assert.Equal(new[] { true, true, true }, a.LogicalOr(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, true }, Doubles([1, 0, 2]).LogicalXor(Doubles([3, 1, 0])).ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, (!a).ToArray<bool>());
    }

    [Fact]
    public void RemainderAndFmodGradients()
    {
        var a = Leaf([-7.0, 7.0]);
        var b = Leaf([2.0, -2.0]);
        var r = a.Remainder(b);
        Assert.Equal("RemainderBackward1", r.GradFn!.Name);
        r.Sum().Backward();
        Close([1, 1], a.Grad!);
        Close([4, 4], b.Grad!); // -floor(-3.5)
        var c = Leaf([-7.0, 7.0]);
        var d = Leaf([2.0, -2.0]);
        var f = c.Fmod(d);
        Assert.Equal("FmodBackward1", f.GradFn!.Name);
        f.Sum().Backward();
        Close([1, 1], c.Grad!);
        Close([3, 3], d.Grad!); // -trunc(-3.5)
        Assert.Equal("RemainderBackward0", Leaf([1.0]).Remainder(2.0).GradFn!.Name);
        Assert.Equal("FmodBackward0", Leaf([1.0]).Fmod(2L).GradFn!.Name);
    }

    [Fact]
    public void RemainderAndFmodPassGradCheck()
    {
        double[] av = [5.3, -7.2, 2.5, -1.1, 0.4, 9.9];
        double[] bv = [2.1, 1.7, -0.9, -2.3, 3.3, -4.1];
        Assert.True(Torch.GradCheck(x => x[0].Remainder(x[1]), [Leaf(av, 2, 3), Leaf(bv, 2, 3)]));
        Assert.True(Torch.GradCheck(x => x[0].Fmod(x[1]), [Leaf(av, 2, 3), Leaf(bv, 2, 3)]));
        // broadcast divisor and a transposed dividend
        Assert.True(Torch.GradCheck(x => x[0].T().Remainder(x[1]), [Leaf(av, 3, 2), Leaf([2.1, -1.7, 3.4])]));
        Assert.True(Torch.GradCheck(x => x[0].Fmod(x[1]), [Leaf(av, 2, 3), Leaf([2.1, -1.7, 3.4])]));
        Assert.True(Torch.GradCheck(x => x[0].Remainder(1.5), [Leaf(av, 2, 3)]));
    }

    [Fact]
    public void RoundingDivisionHasZeroGradient()
    {
        var a = Leaf([-7.5, 7.5]);
        var b = Leaf([2.0, -2.0]);
        var y = a.Div(b, "floor");
        Assert.Equal("DivBackward2", y.GradFn!.Name);
        Assert.Equal("DivBackward3", a.Div(2.0, "trunc").GradFn!.Name);
        y.Sum().Backward();
        Close([0, 0], a.Grad!);
        Close([0, 0], b.Grad!);
        Assert.True(Torch.GradCheck(x => x[0].Div(x[1], "trunc"), [Leaf([-7.5, 7.3]), Leaf([2.0, -2.1])]));
        Assert.Equal("DivBackward0", a.Div(b, null).GradFn!.Name);
    }

    [Fact]
    public void FloorDivideHasNoDerivative()
    {
        var a = Leaf([-7.5, 7.5]);
        var y = a.FloorDivide(2.0);
        Assert.True(y.RequiresGrad);
        Assert.Equal("NotImplemented", y.GradFn!.Name);
        var error = Assert.Throws<NotSupportedException>(() => y.Sum().Backward());
        Assert.Equal("derivative for floor_divide is not implemented", error.Message);
        using (Torch.NoGrad()) Assert.Null(a.FloorDivide(2.0).GradFn);
    }
}
