using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>
/// Type promotion checked against PyTorch's own rules: c10's promoteTypes table, at::native::result_type
/// (dimensioned tensors, then zero-dim tensors, then wrapped scalars, combined by category), and the dtype
/// rules of division, comparison, logical and in-place ops.
/// </summary>
public class PromotionParityTests
{
    // c10/core/ScalarType.h, _promoteTypesLookup restricted to PSTorch's dtypes, rows and columns in this order.
    static readonly DType[] Order =
        [DType.UInt8, DType.Int8, DType.Int16, DType.Int32, DType.Int64, DType.Float16, DType.Float32, DType.Float64, DType.Bool, DType.BFloat16];

    static readonly string[] Table =
    [
        /*        u1  i1  i2  i4  i8  f2  f4  f8  b1  bf */
        /* u1 */ "u1 i2 i2 i4 i8 f2 f4 f8 u1 bf",
        /* i1 */ "i2 i1 i2 i4 i8 f2 f4 f8 i1 bf",
        /* i2 */ "i2 i2 i2 i4 i8 f2 f4 f8 i2 bf",
        /* i4 */ "i4 i4 i4 i4 i8 f2 f4 f8 i4 bf",
        /* i8 */ "i8 i8 i8 i8 i8 f2 f4 f8 i8 bf",
        /* f2 */ "f2 f2 f2 f2 f2 f2 f4 f8 f2 f4",
        /* f4 */ "f4 f4 f4 f4 f4 f4 f4 f8 f4 f4",
        /* f8 */ "f8 f8 f8 f8 f8 f8 f8 f8 f8 f8",
        /* b1 */ "u1 i1 i2 i4 i8 f2 f4 f8 b1 bf",
        /* bf */ "bf bf bf bf bf f4 f4 f8 bf bf",
    ];

    static DType Short(string s) => s switch
    {
        "u1" => DType.UInt8, "i1" => DType.Int8, "i2" => DType.Int16, "i4" => DType.Int32, "i8" => DType.Int64,
        "f2" => DType.Float16, "f4" => DType.Float32, "f8" => DType.Float64, "b1" => DType.Bool, _ => DType.BFloat16,
    };

    public static TheoryData<DType, DType, DType> PromoteTypesTable()
    {
        var data = new TheoryData<DType, DType, DType>();
        for (int i = 0; i < Order.Length; i++)
        {
            var row = Table[i].Split(' ');
            for (int j = 0; j < Order.Length; j++) data.Add(Order[i], Order[j], Short(row[j]));
        }
        return data;
    }

    static Tensor Ones(DType t) => Torch.Ones([2], t);
    static Tensor ZeroDim(DType t) => Torch.Full([], 1, t);

    [Theory]
    [MemberData(nameof(PromoteTypesTable))]
    public void PromoteTypesMatchesPyTorchsTable(DType a, DType b, DType expected)
    {
        Assert.Equal(expected, DTypes.Promote(a, b));
        if (expected == DType.Bool) return; // bool - bool is an error; bool + bool is or
        Assert.Equal(expected, (Ones(a) + Ones(b)).DType);
    }

    [Theory]
    [InlineData(DType.Bool, DType.Int64)]
    [InlineData(DType.UInt8, DType.UInt8)]
    [InlineData(DType.Int8, DType.Int8)]
    [InlineData(DType.Int16, DType.Int16)]
    [InlineData(DType.Int32, DType.Int32)]
    [InlineData(DType.Float16, DType.Float16)]
    [InlineData(DType.BFloat16, DType.BFloat16)]
    [InlineData(DType.Float64, DType.Float64)]
    public void AnIntegerScalarNeverRaisesATensorsCategory(DType tensor, DType expected)
    {
        Assert.Equal(expected, (Ones(tensor) + 3L).DType);
        Assert.Equal(expected, (3L * Ones(tensor)).DType);
        Assert.Equal(expected, (ZeroDim(tensor) - 3L).DType);
    }

    [Theory]
    [InlineData(DType.Bool, DType.Float32)]
    [InlineData(DType.UInt8, DType.Float32)]
    [InlineData(DType.Int64, DType.Float32)]
    [InlineData(DType.Float16, DType.Float16)]
    [InlineData(DType.BFloat16, DType.BFloat16)]
    [InlineData(DType.Float64, DType.Float64)]
    public void AFloatScalarGivesTheDefaultFloatOnlyToNonFloatTensors(DType tensor, DType expected)
    {
        Assert.Equal(expected, (Ones(tensor) * 0.5).DType);
        Assert.Equal(expected, (ZeroDim(tensor) * 0.5).DType);
    }

    [Fact]
    public void AFloatScalarFollowsTheDefaultDType()
    {
        var saved = DTypes.DefaultFloat;
        try
        {
            DTypes.DefaultFloat = DType.Float64;
            Assert.Equal(DType.Float64, (Torch.Arange(3) + 0.5).DType);
            Assert.Equal(DType.Float64, (Torch.Arange(3) / Torch.Arange(1, 4)).DType);
            Assert.Equal(DType.Float32, (Ones(DType.Float32) + 0.5).DType);
        }
        finally { DTypes.DefaultFloat = saved; }
    }

    [Fact]
    public void ZeroDimTensorsCountOnlyByCategoryAgainstDimensionedOnes()
    {
        // torch.ones(2, dtype=torch.int8) + torch.tensor(1000) -> int8 (same category: the dimensioned tensor wins)
        Assert.Equal(DType.Int8, (Ones(DType.Int8) + ZeroDim(DType.Int64)).DType);
        Assert.Equal(DType.UInt8, (Ones(DType.UInt8) + ZeroDim(DType.Int8)).DType);
        Assert.Equal(DType.Float16, (Ones(DType.Float16) + ZeroDim(DType.Float64)).DType);
        // a higher category promotes with the zero-dim tensor's own dtype
        Assert.Equal(DType.Float64, (Ones(DType.Int8) + ZeroDim(DType.Float64)).DType);
        Assert.Equal(DType.BFloat16, (Ones(DType.Int32) + ZeroDim(DType.BFloat16)).DType);
        Assert.Equal(DType.Int16, (Ones(DType.Bool) + ZeroDim(DType.Int16)).DType);
        // two zero-dim tensors promote fully
        Assert.Equal(DType.Int16, (ZeroDim(DType.UInt8) + ZeroDim(DType.Int8)).DType);
        Assert.Equal(DType.Float32, (ZeroDim(DType.Float16) + ZeroDim(DType.BFloat16)).DType);
    }

    [Fact]
    public void ZeroDimTensorThenScalarCombineByCategory()
    {
        // torch.tensor(1, dtype=torch.int32) + 2.5 -> float32; torch.tensor(1., dtype=torch.float64) + 2.5 -> float64
        Assert.Equal(DType.Float32, (ZeroDim(DType.Int32) + 2.5).DType);
        Assert.Equal(DType.Float64, (ZeroDim(DType.Float64) + 2.5).DType);
        // int8 tensor + float16 zero-dim + float scalar -> float16
        Assert.Equal(DType.Float16, Torch.Add(Ones(DType.Int8) + ZeroDim(DType.Float16), 2.5).DType);
        Assert.Equal(DType.Float32, (ZeroDim(DType.Bool) + 2.5).DType);
        Assert.Equal(DType.Int64, (ZeroDim(DType.Bool) + 2L).DType);
    }

    [Fact]
    public void ValuesAreComputedInTheResultType()
    {
        // uint8 wraps around: torch.tensor([250], dtype=torch.uint8) + 10 -> 4
        Assert.Equal(new byte[] { 4 }, (Torch.Full([1], 250, DType.UInt8) + 10L).ToArray<byte>());
        // int8 + uint8 computes in int16: 100 + 200 = 300
        Assert.Equal(new short[] { 300 }, (Torch.Full([1], 100, DType.Int8) + Torch.Full([1], 200, DType.UInt8)).ToArray<short>());
        // an int64 tensor plus a float scalar is computed in float32
        Assert.Equal(new float[] { 16777216f }, (Torch.Full([1], 16777217, DType.Int64) + 0.0).ToArray<float>());
    }

    [Fact]
    public void TrueDivisionOfIntegersAndBoolsIsDefaultFloat()
    {
        var r = Torch.NewTensor(new long[] { -7, 7 }) / 2L;
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal(new float[] { -3.5f, 3.5f }, r.ToArray<float>());
        Assert.Equal(DType.Float32, (Ones(DType.Bool) / Ones(DType.Bool)).DType);
        Assert.Equal(DType.Float32, (Ones(DType.UInt8) / Ones(DType.Int8)).DType);
        Assert.Equal(DType.Float16, (Ones(DType.Float16) / 3L).DType);
        var byZero = Torch.NewTensor(new long[] { 1, -1, 0 }) / 0L;
        Assert.Equal(new[] { float.PositiveInfinity, float.NegativeInfinity }, byZero.ToArray<float>()[..2]);
        Assert.True(float.IsNaN(byZero.ToArray<float>()[2]));
    }

    [Fact]
    public void ComparisonsReturnBoolAndCompareInTheCommonType()
    {
        var i = Torch.NewTensor(new long[] { 1, 2, 3 });
        var lt = i < 1.5;
        Assert.Equal(DType.Bool, lt.DType);
        Assert.Equal(new[] { true, false, false }, lt.ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, (i == 2L).ToArray<bool>());
        Assert.Equal(new[] { false, false, false }, (i == 2.5).ToArray<bool>());
        // uint8 and int8 compare as int16: 255 (uint8) > -1 (int8)
        var gt = Torch.Full([1], 255, DType.UInt8) > Torch.Full([1], -1, DType.Int8);
        Assert.Equal(new[] { true }, gt.ToArray<bool>());
        Assert.Equal(DType.Bool, Ones(DType.Float16).Ge(Ones(DType.BFloat16)).DType);
    }

    [Fact]
    public void LogicalOpsReturnBoolForAnyInputs()
    {
        var a = Torch.NewTensor(new[] { 0.0, 2.0, 0.0, -1.0 });
        var b = Torch.NewTensor(new long[] { 0, 0, 3, 4 });
        Assert.Equal(new[] { false, false, false, true }, a.LogicalAnd(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, true, true }, a.LogicalOr(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, true, false }, a.LogicalXor(b).ToArray<bool>());
        Assert.Equal(new[] { true, false, true, false }, a.LogicalNot().ToArray<bool>());
        Assert.Equal(DType.Bool, a.LogicalAnd(b).DType);
    }

    [Fact]
    public void InPlaceOpsKeepTheirDTypeAndRefuseAHigherCategory()
    {
        var i = Torch.NewTensor(new long[] { 1, 2 });
        Assert.Equal("result type Float can't be cast to the desired output type Long",
            Assert.Throws<InvalidOperationException>(() => i.Add_(Torch.Ones([2]))).Message);
        Assert.Equal("result type Float can't be cast to the desired output type Long",
            Assert.Throws<InvalidOperationException>(() => i.Div_(2L)).Message);
        Assert.Equal("result type Double can't be cast to the desired output type Long",
            Assert.Throws<InvalidOperationException>(() => i.Mul_(Torch.Ones([2], DType.Float64))).Message);
        Assert.Equal("result type Long can't be cast to the desired output type Bool",
            Assert.Throws<InvalidOperationException>(() => Ones(DType.Bool).Add_(1L)).Message);
        Assert.Equal("result type Float can't be cast to the desired output type Long",
            Assert.Throws<InvalidOperationException>(() => i.Exp_()).Message);
        // a lower dtype of the same or lower category is cast into the tensor
        var f = Torch.Ones([2], DType.Float16);
        f.Add_(Torch.Ones([2], DType.Float64));
        Assert.Equal(DType.Float16, f.DType);
        Assert.Equal(new[] { (Half)2, (Half)2 }, f.ToArray<Half>());
        var s = Torch.Full([2], 100, DType.Int8);
        s.Add_(Torch.Full([2], 100, DType.Int64));
        Assert.Equal(new sbyte[] { -56, -56 }, s.ToArray<sbyte>());
        // an in-place comparison writes 0/1 in the tensor's own dtype
        var c = Torch.NewTensor(new[] { 1f, 2f, 3f });
        c.Gt_(1.5);
        Assert.Equal(DType.Float32, c.DType);
        Assert.Equal(new[] { 0f, 1f, 1f }, c.ToArray<float>());
    }

    [Fact]
    public void UnaryFloatFunctionsOfIntegersAreDefaultFloat()
    {
        var i = Torch.NewTensor(new long[] { 1, 4 });
        Assert.Equal(DType.Float32, i.Sqrt().DType);
        Assert.Equal(new[] { 1f, 2f }, i.Sqrt().ToArray<float>());
        Assert.Equal(DType.Float32, Ones(DType.Bool).Exp().DType);
        Assert.Equal(DType.Int64, i.Abs().DType);
        Assert.Equal(DType.Int64, i.Neg().DType);
        Assert.Equal(DType.Float16, Ones(DType.Float16).Sigmoid().DType);
    }

    [Fact]
    public void NegatingABoolTensorIsAnError()
    {
        var e = Assert.ThrowsAny<Exception>(() => -Ones(DType.Bool));
        Assert.Equal("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.", e.Message);
    }

    [Fact]
    public void PowOfIntegers()
    {
        var i = Torch.NewTensor(new long[] { 2, 3 });
        Assert.Equal(DType.Int64, i.Pow(2L).DType);
        Assert.Equal(new long[] { 4, 9 }, i.Pow(2L).ToArray<long>());
        Assert.Equal(DType.Float32, i.Pow(0.5).DType);
        Assert.Equal(DType.Float32, Torch.Pow(2.0, i).DType);
        Assert.Equal(DType.Int64, Torch.Pow(2L, i).DType);
        Assert.Equal(new long[] { 4, 8 }, Torch.Pow(2L, i).ToArray<long>());
        var e = Assert.ThrowsAny<Exception>(() => i.Pow(-1L));
        Assert.Equal("Integers to negative integer powers are not allowed.", e.Message);
    }

    [Fact]
    public void AlphaKeepsIntegerResultsInteger()
    {
        var a = Torch.NewTensor(new long[] { 1, 2 });
        var b = Torch.NewTensor(new long[] { 10, 20 });
        var sum = Torch.Add(a, b, alpha: 2);
        Assert.Equal(DType.Int64, sum.DType);
        Assert.Equal(new long[] { 21, 42 }, sum.ToArray<long>());
        Assert.Equal(new long[] { -19, -38 }, a.Sub(b, alpha: 2).ToArray<long>());
        a.Add_(b, alpha: 3);
        Assert.Equal(new long[] { 31, 62 }, a.ToArray<long>());
        Assert.Equal("For integral input tensors, argument alpha must not be a floating point number.",
            Assert.ThrowsAny<Exception>(() => a.Add(b, alpha: 0.5)).Message);
        var f = Torch.Ones([2]).Add(b, alpha: 0.5);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal(new[] { 6f, 11f }, f.ToArray<float>());
    }

    [Fact]
    public void WherePromotesItsValuesAndNeedsABoolCondition()
    {
        var cond = Torch.NewTensor(new[] { true, false });
        var ints = Torch.NewTensor(new long[] { 1, 2 });
        var r = Torch.Where(cond, ints, 0.5);
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal(new[] { 1f, 0.5f }, r.ToArray<float>());
        Assert.Equal(DType.Float64, Torch.Where(cond, ints, Torch.Ones([2], DType.Float64)).DType);
        Assert.Equal(DType.Int64, Torch.Where(cond, ints, Torch.Ones([2], DType.Int8)).DType);
        Assert.Equal(new long[] { 1, 0 }, Torch.Where(cond.To(DType.UInt8), ints, Torch.ZerosLike(ints)).ToArray<long>());
        Assert.Equal("where expected condition to be a boolean tensor, but got a tensor with dtype Float",
            Assert.ThrowsAny<Exception>(() => Torch.Where(Torch.Ones([2]), ints, ints)).Message);
    }

    [Fact]
    public void IntegerTensorsToNegativeIntegerTensorPowersFollowIntegerRules()
    {
        // only a scalar exponent is refused; elementwise, 1 ** -n = 1, (-1) ** -n = ±1, anything else ** -n = 0
        var r = Torch.NewTensor(new long[] { 2, 1, -1, -1 }).Pow(Torch.NewTensor(new long[] { -1, -2, -3, -2 }));
        Assert.Equal(new long[] { 0, 1, -1, 1 }, r.ToArray<long>());
    }

    [Fact]
    public void ClampPromotesLikeTheOtherBinaryOps()
    {
        var x = Torch.NewTensor(new long[] { 1, 5 });
        Assert.Equal(DType.Float32, x.Clamp(0.5, 2.5).DType);
        Assert.Equal(new[] { 1f, 2.5f }, x.Clamp(0.5, 2.5).ToArray<float>());
        Assert.Equal(DType.Int64, x.Clamp(0L, 2L).DType);
        var nan = Torch.FromArray(new[] { 1f, float.NaN, 3f });
        Assert.Equal(new[] { 1f, float.NaN, 2f }, nan.Clamp(0.0, 2.0).ToArray<float>());
    }

    [Fact]
    public void PromotionQueriesMirrorTorch()
    {
        Assert.Equal(DType.Int16, Torch.PromoteTypes(DType.UInt8, DType.Int8));
        Assert.Equal(DType.Float32, Torch.PromoteTypes(DType.BFloat16, DType.Float16));
        var ints = Torch.Ones([2], DType.Int32);
        Assert.Equal(DType.Int32, Torch.ResultType(ints, 5L));
        Assert.Equal(DType.Float32, Torch.ResultType(ints, 5.0));
        Assert.Equal(DType.Int32, Torch.ResultType(ints, true));
        Assert.Equal(DType.Int64, Torch.ResultType(Torch.Ones([2], DType.Bool), 5L));
        Assert.Equal(DType.Int32, Torch.ResultType(ints, Torch.Full([], 1, DType.Int64)));
        Assert.Equal(DType.Float64, Torch.ResultType(ints, Torch.Full([], 1, DType.Float64)));
        Assert.True(Torch.CanCast(DType.Int64, DType.Float16));
        Assert.True(Torch.CanCast(DType.Float64, DType.Float16));
        Assert.True(Torch.CanCast(DType.Bool, DType.UInt8));
        Assert.False(Torch.CanCast(DType.Float32, DType.Int64));
        Assert.False(Torch.CanCast(DType.Int8, DType.Bool));
        Assert.False(Torch.CanCast(DType.Float16, DType.Bool));
    }
}
