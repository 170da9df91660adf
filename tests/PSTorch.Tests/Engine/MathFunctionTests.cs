using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

/// <summary>
/// The elementwise math functions (rounding, exponential, trigonometric, hyperbolic, error functions, classification,
/// the binary math functions, lerp/addcmul/addcdiv): values against System.Math in float64, PyTorch's special values,
/// dtypes, errors, gradients and grad_fn names, in-place forms.
/// </summary>
public class MathFunctionTests
{
    /// <summary>Each unary function: the tensor method, its System.Math reference, and inputs inside its domain away from kinks.</summary>
    static readonly Dictionary<string, (Func<Tensor, Tensor> op, Func<double, double> reference, double[] inputs)> Unaries = new()
    {
        ["Floor"] = (x => x.Floor(), Math.Floor, [-2.5, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Ceil"] = (x => x.Ceil(), Math.Ceiling, [-2.5, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Round"] = (x => x.Round(), v => Math.Round(v, MidpointRounding.ToEven), [-2.4, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Trunc"] = (x => x.Trunc(), Math.Truncate, [-2.5, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Fix"] = (x => x.Fix(), Math.Truncate, [-2.5, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Frac"] = (x => x.Frac(), v => v - Math.Truncate(v), [-2.5, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Sgn"] = (x => x.Sgn(), v => Math.Sign(v), [-2.5, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Log1p"] = (x => x.Log1p(), v => Math.Log(1 + v), [-0.5, 0.3, 0.9, 1.7, 3.2, 10.5]),
        ["Expm1"] = (x => x.Expm1(), v => Math.Exp(v) - 1, [-2.5, -0.7, 0.6, 1.7, 3.2, 7.9]),
        ["Log2"] = (x => x.Log2(), Math.Log2, [0.1, 0.3, 1.5, 2, 3.2, 1000]),
        ["Log10"] = (x => x.Log10(), Math.Log10, [0.1, 0.3, 1.5, 2, 3.2, 1000]),
        ["Exp2"] = (x => x.Exp2(), v => Math.Pow(2, v), [-2.5, -0.3, 0.4, 1.7, 3.2, 10]),
        ["Tan"] = (x => x.Tan(), Math.Tan, [-1.2, -0.3, 0.4, 1.1, 2.2, -3.0]),
        ["Asin"] = (x => x.Asin(), Math.Asin, [-0.9, -0.3, 0.1, 0.4, 0.7, 0.95]),
        ["Acos"] = (x => x.Acos(), Math.Acos, [-0.9, -0.3, 0.1, 0.4, 0.7, 0.95]),
        ["Atan"] = (x => x.Atan(), Math.Atan, [-5, -0.3, 0.1, 0.4, 2.7, 40]),
        ["Sinh"] = (x => x.Sinh(), Math.Sinh, [-2.5, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Cosh"] = (x => x.Cosh(), Math.Cosh, [-2.5, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Asinh"] = (x => x.Asinh(), Math.Asinh, [-2.5, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Acosh"] = (x => x.Acosh(), Math.Acosh, [1.1, 1.5, 2, 3.7, 10, 100]),
        ["Atanh"] = (x => x.Atanh(), Math.Atanh, [-0.9, -0.3, 0.1, 0.4, 0.7, 0.95]),
        ["Sinc"] = (x => x.Sinc(), v => Math.Sin(Math.PI * v) / (Math.PI * v), [-2.5, -0.3, 0.4, 1.7, 3.2, -7.9]),
        ["Deg2rad"] = (x => x.Deg2rad(), v => v * (Math.PI / 180), [-180, -30, 45, 90, 360, 1]),
        ["Rad2deg"] = (x => x.Rad2deg(), v => v * (180 / Math.PI), [-3, -0.3, 0.4, 1.7, 3.2, 6.3]),
    };

    public static TheoryData<string> UnaryNames => new(Unaries.Keys);

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void UnaryFunctionsMatchSystemMathOnNonContiguousFloat64(string name)
    {
        var (op, reference, inputs) = Unaries[name];
        // a transposed view: the kernels see a strided operand
        var x = Doubles(inputs, 2, 3).T();
        var y = op(x);
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal([3L, 2], y.Shape);
        var expected = x.Contiguous().ToArray<double>().Select(reference).ToArray();
        Close(expected, y.Contiguous(), 1e-14);
        // and the same values from the Torch.* mirror on a contiguous tensor
        Close(inputs.Select(reference).ToArray(), op(Doubles(inputs)), 1e-14);
    }

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void UnaryFunctionsPassGradCheck(string name)
    {
        var (op, _, inputs) = Unaries[name];
        Assert.True(Torch.GradCheck(t => op(t[0]), [Leaf(inputs, 2, 3)]));
    }

    [Theory]
    [InlineData("Floor", "FloorBackward0")]
    [InlineData("Ceil", "CeilBackward0")]
    [InlineData("Round", "RoundBackward0")]
    [InlineData("Trunc", "TruncBackward0")]
    [InlineData("Frac", "FracBackward0")]
    [InlineData("Sgn", "SgnBackward0")]
    [InlineData("Log1p", "Log1PBackward0")]
    [InlineData("Expm1", "Expm1Backward0")]
    [InlineData("Log2", "Log2Backward0")]
    [InlineData("Log10", "Log10Backward0")]
    [InlineData("Exp2", "Exp2Backward0")]
    [InlineData("Tan", "TanBackward0")]
    [InlineData("Asin", "AsinBackward0")]
    [InlineData("Acosh", "AcoshBackward0")]
    [InlineData("Sinc", "SincBackward0")]
    [InlineData("Deg2rad", "Deg2RadBackward0")]
    [InlineData("Rad2deg", "Rad2DegBackward0")]
    public void UnaryGradFnNamesArePyTorchs(string name, string gradFn)
    {
        var (op, _, inputs) = Unaries[name];
        Assert.Equal(gradFn, op(Leaf(inputs)).GradFn!.Name);
    }

    [Fact]
    public void ErrorFunctionsMatchKnownValuesAndInvertEachOther()
    {
        // erf, erfc and erfinv from tables (Abramowitz and Stegun; mpmath to 17 digits)
        var x = Doubles([0, 0.5, 1, -1, 2, 3, 5, double.PositiveInfinity, double.NegativeInfinity, double.NaN]);
        Close([0, 0.52049987781304654, 0.84270079294971487, -0.84270079294971487, 0.99532226501895273, 0.99997790950300141, 0.99999999999846254, 1, -1, double.NaN], x.Erf(), 1e-15);
        // erfc keeps its relative precision where 1 - erf(x) would not
        Close([1, 0.47950012218695346, 0.15729920705028513, 1.8427007929497149, 0.0046777349810472658, 2.2090496998585441e-05, 1.5374597944280349e-12, 0, 2, double.NaN], x.Erfc(), 1e-13);
        // erfc(27) is about 5e-319, a subnormal, not 0
        Assert.InRange((double)Doubles([27.0]).Erfc().Item(), double.Epsilon, 1e-300);
        var y = Doubles([0, 0.5, -0.5, 0.9, 0.999999, 1 - 1e-12, 1, -1, 1.5, double.NaN]);
        Close([0, 0.47693627620446987, -0.47693627620446987, 1.1630871536766743, 3.4589107372754990, 5.042031898572696, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.NaN], y.Erfinv(), 1e-14);
        var p = Torch.Linspace(-0.999, 0.999, 101, dtype: DType.Float64);
        Close(p.ToArray<double>(), p.Erfinv().Erf(), 1e-14);
    }

    [Fact]
    public void ErrorFunctionGradientsPassGradCheck()
    {
        Assert.True(Torch.GradCheck(t => t[0].Erf(), [Leaf([-2.0, -0.5, 0.1, 0.7, 1.5, 3])]));
        Assert.True(Torch.GradCheck(t => t[0].Erfc(), [Leaf([-2.0, -0.5, 0.1, 0.7, 1.5, 3])]));
        Assert.True(Torch.GradCheck(t => t[0].Erfinv(), [Leaf([-0.9, -0.5, 0.1, 0.3, 0.7, 0.95])]));
        Assert.Equal("ErfBackward0", Leaf([0.5]).Erf().GradFn!.Name);
        Assert.Equal("ErfcBackward0", Leaf([0.5]).Erfc().GradFn!.Name);
        Assert.Equal("ErfinvBackward0", Leaf([0.5]).Erfinv().GradFn!.Name);
    }

    [Fact]
    public void Log1pAndExpm1KeepTheDigitsOfSmallArguments()
    {
        var small = Doubles([1e-20, -1e-17, 1e-10, 3e-300]);
        Close([1e-20, -1e-17, 9.9999999995e-11, 3e-300], small.Log1p(), 1e-15);
        Close([1e-20, -1e-17, 1.00000000005e-10, 3e-300], small.Expm1(), 1e-15);
        Close([double.NegativeInfinity, double.NaN, double.PositiveInfinity], Doubles([-1, -2, double.PositiveInfinity]).Log1p(), 0);
        Close([-1, double.PositiveInfinity, 0], Doubles([double.NegativeInfinity, double.PositiveInfinity, 0]).Expm1(), 0);
        // float32 as well: log1p(1e-10f) is 1e-10f, not log(1 + 1e-10f) = 0
        Assert.Equal(1e-10f, Torch.FromArray([1e-10f]).Log1p().ToArray<float>()[0]);
    }

    [Fact]
    public void RoundHalvesToEvenAndRoundsToDecimals()
    {
        Close([2, 2, 4, -2, -0.0, 0, 1], Doubles([2.5, 1.5, 3.5, -2.5, -0.5, 0.5, 0.9]).Round(), 0);
        Close([1.23, -1.24, 0.12], Doubles([1.234, -1.2351, 0.125]).Round(2), 1e-15);
        Close([1200, -1200, 0], Doubles([1234.5, -1250, 49]).Round(-2), 0);
        Assert.Equal(DType.Float32, Torch.FromArray([1.25f]).Round(1).DType);
        Assert.Equal(1.2f, Torch.Round(Torch.FromArray([1.25f]), 1).ToArray<float>()[0]);
        Assert.Equal("RoundBackward1", Leaf([1.25]).Round(1).GradFn!.Name);
        Assert.True(Torch.GradCheck(t => t[0].Round(1), [Leaf([0.123, 1.234, -3.321])]));
        // special values pass through every rounding function
        var special = Doubles([double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0]);
        foreach (var rounded in new[] { special.Floor(), special.Ceil(), special.Round(), special.Trunc() })
        {
            var v = rounded.ToArray<double>();
            Assert.True(double.IsNaN(v[0]) && double.IsPositiveInfinity(v[1]) && double.IsNegativeInfinity(v[2]) && double.IsNegative(v[3]) && v[3] == 0);
        }
        // frac of an infinity is NaN (inf - inf), and keeps the sign of negative numbers
        Close([double.NaN, -0.25, 0.5], Doubles([double.PositiveInfinity, -3.25, 2.5]).Frac(), 0);
        Assert.Equal(1.0, Doubles([0.0]).Sinc().Item());
    }

    [Theory]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.UInt8)]
    public void RoundingKeepsIntegerDtypesAsACopy(DType dtype)
    {
        var x = Longs([-3, 0, 7]).To(dtype == DType.UInt8 ? DType.Int64 : dtype).Abs().To(dtype);
        foreach (var y in new[] { x.Floor(), x.Ceil(), x.Round(), x.Trunc(), x.Fix() })
        {
            Assert.Equal(dtype, y.DType);
            Assert.Equal([3L, 0, 7], y.To(DType.Int64).ToArray<long>());
            Assert.False(ReferenceEquals(x, y));
        }
        // in place it is a no-op that keeps the dtype
        Assert.Equal(dtype, x.Floor_().DType);
    }

    [Fact]
    public void RoundingRefusesBoolAndFracAndDecimalsRefuseIntegers()
    {
        var b = Torch.FromArray([true, false]);
        Assert.Equal("\"floor_vml_cpu\" not implemented for 'Bool'", Assert.Throws<NotSupportedException>(() => b.Floor()).Message);
        Assert.Equal("\"ceil_vml_cpu\" not implemented for 'Bool'", Assert.Throws<NotSupportedException>(() => b.Ceil()).Message);
        Assert.Equal("\"round_vml_cpu\" not implemented for 'Bool'", Assert.Throws<NotSupportedException>(() => b.Round()).Message);
        Assert.Equal("\"trunc_vml_cpu\" not implemented for 'Bool'", Assert.Throws<NotSupportedException>(() => b.Trunc_()).Message);
        Assert.Equal("\"frac_cpu\" not implemented for 'Long'", Assert.Throws<NotSupportedException>(() => Longs([1]).Frac()).Message);
        Assert.Equal("\"round_cpu\" not implemented for 'Char'", Assert.Throws<NotSupportedException>(() => Longs([1]).To(DType.Int8).Round(1)).Message);
    }

    [Theory]
    [InlineData(DType.Int64, DType.Float32)]
    [InlineData(DType.Int32, DType.Float32)]
    [InlineData(DType.Bool, DType.Float32)]
    [InlineData(DType.Float16, DType.Float16)]
    [InlineData(DType.BFloat16, DType.BFloat16)]
    [InlineData(DType.Float64, DType.Float64)]
    public void FloatingFunctionsPromoteIntegersToTheDefaultFloat(DType input, DType expected)
    {
        var x = Longs([0, 1]).To(input);
        Tensor[] results =
        [
            x.Log1p(), x.Expm1(), x.Log2(), x.Log10(), x.Exp2(), x.Tan(), x.Asin(), x.Acos(), x.Atan(), x.Sinh(), x.Cosh(),
            x.Asinh(), x.Acosh(), x.Atanh(), x.Erf(), x.Erfc(), x.Erfinv(), x.Sinc(), x.Deg2rad(), x.Rad2deg(), x.Logit(),
        ];
        foreach (var y in results) Assert.Equal(expected, y.DType);
        // values through the promotion: exp2([0, 1]) = [1, 2], sinc([0, 1]) = [1, ~0]
        Close([1, 2], x.Exp2(), 1e-2);
        Close([1, 0], x.Sinc(), 1e-2);
    }

    [Fact]
    public void HalfPrecisionResultsAreRoundedFromAccurateValues()
    {
        var h = Torch.FromArray([0.5, -1.25, 2.0]).To(DType.Float16);
        Close([0.5204998778, -0.9229001283, 0.9953222650], h.Erf(), 1e-3);
        Close([0.4054651081, double.NaN, 1.0986122887], h.Log1p(), 1e-3);
        var bf = Torch.FromArray([0.5, -1.25, 2.0]).To(DType.BFloat16);
        Close([0.4636476090, -0.8960553846, 1.1071487178], bf.Atan(), 1e-2);
        Assert.Equal(DType.BFloat16, bf.Atan().DType);
    }

    [Fact]
    public void InPlaceFunctionsWriteThroughNonContiguousViews()
    {
        var m = Doubles([0.5, 1.5, 2.5, -0.5, -1.5, 3.7], 2, 3);
        var column = m.Select(1, 1);
        column.Floor_();
        Close([0.5, 1, 2.5, -0.5, -2, 3.7], m, 0);
        var t = m.T();
        t.Exp2_();
        Close(new[] { 0.5, 1, 2.5, -0.5, -2, 3.7 }.Select(v => Math.Pow(2, v)).ToArray(), m, 1e-15);
        var n = Doubles([1, 2, 3, 4], 2, 2).T();
        n.Atan2_(Doubles([1, -1], 2, 1));
        Close([Math.Atan2(1, 1), Math.Atan2(3, 1), Math.Atan2(2, -1), Math.Atan2(4, -1)], n.Contiguous(), 1e-15);
    }

    [Fact]
    public void InPlaceFunctionsRefuseResultsTheTargetCannotHold()
    {
        Assert.Equal("result type Float can't be cast to the desired output type Long",
            Assert.Throws<InvalidOperationException>(() => Longs([1, 2]).Log1p_()).Message);
        Assert.Equal("result type Float can't be cast to the desired output type Long",
            Assert.Throws<InvalidOperationException>(() => Longs([1, 2]).Atan2_(Longs([1, 1]))).Message);
        Assert.Equal("result type Float can't be cast to the desired output type Long",
            Assert.Throws<InvalidOperationException>(() => Longs([1, 2]).Addcmul_(Doubles([1, 1]).To(DType.Float32), Longs([1, 1]))).Message);
        Assert.Equal("output with shape [2] doesn't match the broadcast shape [3, 2]",
            Assert.Throws<ArgumentException>(() => Doubles([1, 2]).Addcmul_(Doubles([1, 2, 3, 4, 5, 6], 3, 2), Doubles([1, 2]))).Message);
    }

    [Fact]
    public void InPlaceFunctionsUnderAutogradTakeTheOutOfPlaceGradFn()
    {
        var x = Leaf([0.3, 0.7]);
        var y = x * 1;
        y.Tan_();
        Assert.Equal("TanBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        Close([1 / (Math.Cos(0.3) * Math.Cos(0.3)), 1 / (Math.Cos(0.7) * Math.Cos(0.7))], x.Grad!, 1e-14);

        var a = Leaf([1.0, 2.0]);
        var b = a * 1;
        b.Lerp_(Doubles([3, 6]), 0.25);
        Assert.Equal("LerpBackward0", b.GradFn!.Name);
        b.Sum().Backward();
        Close([0.75, 0.75], a.Grad!, 1e-15);
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.",
            Assert.Throws<InvalidOperationException>(() => Leaf([1.0]).Addcdiv_(Doubles([1]), Doubles([2]))).Message);
    }

    [Fact]
    public void BinaryFunctionsMatchSystemMathWithBroadcasting()
    {
        var a = Doubles([-3, -0.5, 0, 2, 4.5, 7], 2, 3);
        var b = Doubles([1.5, -2, 3], 3);
        double[] av = [-3, -0.5, 0, 2, 4.5, 7], bv = [1.5, -2, 3, 1.5, -2, 3];
        Close(av.Zip(bv, Math.Atan2).ToArray(), a.Atan2(b), 1e-15);
        Close(av.Zip(bv, Math.Atan2).ToArray(), Torch.Arctan2(a, b), 1e-15);
        Close(av.Zip(bv, (x, y) => Math.Sqrt(x * x + y * y)).ToArray(), a.Hypot(b), 1e-15);
        Close(av.Zip(bv, Math.CopySign).ToArray(), a.Copysign(b), 0);
        Close(av.Zip(bv, (x, y) => Math.Log(Math.Exp(x) + Math.Exp(y))).ToArray(), a.Logaddexp(b), 1e-15);
        Close(av.Zip(bv, (x, y) => Math.Log2(Math.Pow(2, x) + Math.Pow(2, y))).ToArray(), a.Logaddexp2(b), 1e-15);
        Close(av.Zip(bv, Math.Max).ToArray(), a.Fmax(b), 0);
        Close(av.Zip(bv, Math.Min).ToArray(), Torch.Fmin(a, b), 0);
        var positive = Doubles([0.5, 2, 3]);
        Close(av.Zip([0.5, 2, 3, 0.5, 2, 3], (x, y) => x * Math.Log(y)).ToArray(), a.Xlogy(positive), 1e-15);
        Close([-3 * Math.Log(2), -0.5 * Math.Log(2), 0, 2 * Math.Log(2), 4.5 * Math.Log(2), 7 * Math.Log(2)], a.Xlogy(2.0), 1e-15);
        Close([2 * Math.Log(0.5), 2 * Math.Log(2), 2 * Math.Log(3)], Torch.Xlogy(2.0, positive), 1e-15);
        Close(av.Select(v => Math.CopySign(v, -1.0)).ToArray(), a.Copysign(-1.0), 0);
    }

    [Fact]
    public void BinaryFunctionsHandleSpecialValuesAsPyTorch()
    {
        double nan = double.NaN, inf = double.PositiveInfinity;
        // fmax/fmin ignore a NaN unless both are NaN; maximum propagates it
        var a = Doubles([nan, 1, nan, 2]);
        var b = Doubles([1, nan, nan, 3]);
        Close([1, 1, nan, 3], a.Fmax(b), 0);
        Close([1, 1, nan, 2], a.Fmin(b), 0);
        Close([nan, nan, nan, 3], a.Maximum(b), 0);
        // xlogy: 0 * log(0) is 0, a NaN y stays NaN
        Close([0, nan, double.NegativeInfinity, 0], Doubles([0, 0, 1, 0]).Xlogy(Doubles([0, nan, 0, 5])), 0);
        // logaddexp of huge and equal infinite arguments
        Close([1000 + Math.Log(2), inf, double.NegativeInfinity, 1000], Doubles([1000, inf, double.NegativeInfinity, 1000]).Logaddexp(Doubles([1000, inf, double.NegativeInfinity, -1000])), 1e-15);
        Close([1001, inf], Doubles([1000, inf]).Logaddexp2(Doubles([1000, inf])), 1e-15);
        // copysign reads the sign bit: -0.0 is negative, +0.0 positive
        var signs = Doubles([2, 2, -3, -3]).Copysign(Doubles([-0.0, 0.0, 0.0, -0.0])).ToArray<double>();
        Assert.Equal([-2.0, 2, 3, -3], signs);
        Assert.True(double.IsNegative(Doubles([0.0]).Copysign(-1.0).ToArray<double>()[0]));
        Close([Math.PI, -Math.PI, 0, Math.PI / 2], Doubles([0.0, -0.0, 0, 1]).Atan2(Doubles([-1, -1, 1, 0])), 1e-15);
        Close([inf, inf], Doubles([inf, 3]).Hypot(Doubles([nan, double.NegativeInfinity])), 0);
    }

    [Fact]
    public void BinaryFunctionsFollowPyTorchsDtypeRules()
    {
        var i = Longs([1, 2]);
        Assert.Equal(DType.Float32, i.Atan2(i).DType);
        Assert.Equal(DType.Float32, i.Xlogy(i).DType);
        Assert.Equal(DType.Float32, i.Copysign(i).DType);
        Assert.Equal(DType.Int64, i.Fmax(i).DType);
        Assert.Equal([1L, 2], i.Fmax(Longs([0, 2])).ToArray<long>());
        Assert.Equal([1L, 2], i.Fmin(Longs([3, 5])).ToArray<long>());
        Assert.Equal(DType.Bool, Torch.FromArray([true, false]).Fmax(Torch.FromArray([false, false])).DType);
        Assert.Equal(DType.Float64, i.Atan2(Doubles([1, 1])).DType);
        Assert.Equal(DType.Float32, Torch.FromArray([1f, 2f]).Hypot(Torch.FromArray([1f, 2f])).DType);
        Assert.Equal(DType.Float16, i.Atan2(i.To(DType.Float16)).DType);
        Assert.Equal("\"hypot_cpu\" not implemented for 'Long'", Assert.Throws<NotSupportedException>(() => i.Hypot(i)).Message);
        Assert.Equal("\"logaddexp_cpu\" not implemented for 'Long'", Assert.Throws<NotSupportedException>(() => i.Logaddexp(i)).Message);
        Assert.Equal("\"logaddexp2_cpu\" not implemented for 'Int'", Assert.Throws<NotSupportedException>(() => i.To(DType.Int32).Logaddexp2(i.To(DType.Int32))).Message);
        // float_power computes in float64 whatever the inputs
        Assert.Equal(DType.Float64, i.FloatPower(2.0).DType);
        Assert.Equal(DType.Float64, Torch.FromArray([2f]).FloatPower(Torch.FromArray([3f])).DType);
        Close([1, 0.25], i.FloatPower(-2.0), 0);
        Close([8, 0.25], Torch.FloatPower(2.0, Longs([3, -2])), 0);
        Assert.Equal("the base given to float_power_ has dtype Float but the operation's result requires dtype Double",
            Assert.Throws<InvalidOperationException>(() => Torch.FromArray([2f]).FloatPower_(2.0)).Message);
        Close([4, 27], Doubles([2, 3]).FloatPower_(Longs([2, 3])), 0);
    }

    [Fact]
    public void BinaryFunctionsPassGradCheck()
    {
        double[] av = [-1.5, 0.5, 2, 3.1, -0.7, 1.2], bv = [0.8, -1.3, 2.5];
        Assert.True(Torch.GradCheck(t => t[0].Atan2(t[1]), [Leaf(av, 2, 3), Leaf(bv, 3)]));
        Assert.True(Torch.GradCheck(t => t[0].Hypot(t[1]), [Leaf(av, 2, 3), Leaf(bv, 3)]));
        Assert.True(Torch.GradCheck(t => t[0].Copysign(t[1]), [Leaf(av, 2, 3), Leaf(bv, 3)]));
        Assert.True(Torch.GradCheck(t => t[0].Fmax(t[1]), [Leaf(av, 2, 3), Leaf(bv, 3)]));
        Assert.True(Torch.GradCheck(t => t[0].Fmin(t[1]), [Leaf(av, 2, 3), Leaf(bv, 3)]));
        Assert.True(Torch.GradCheck(t => t[0].Logaddexp(t[1]), [Leaf(av, 2, 3), Leaf(bv, 3)]));
        Assert.True(Torch.GradCheck(t => t[0].Logaddexp2(t[1]), [Leaf(av, 2, 3), Leaf(bv, 3)]));
        Assert.True(Torch.GradCheck(t => t[0].Xlogy(t[1]), [Leaf(av, 2, 3), Leaf([0.8, 1.3, 2.5], 3)]));
        Assert.True(Torch.GradCheck(t => t[0].FloatPower(t[1]), [Leaf([0.8, 1.3, 2.5]), Leaf(bv)]));
        Assert.True(Torch.GradCheck(t => Torch.Xlogy(2.0, t[0]), [Leaf([0.8, 1.3, 2.5])]));
    }

    [Fact]
    public void BinaryGradientsFollowPyTorchsConventions()
    {
        // fmax sends the gradient to the non-NaN operand; xlogy's d/dx is 0 where x == 0 and y <= 0
        var a = Leaf([double.NaN, 1, 5]);
        var b = Leaf([2, double.NaN, 3]);
        a.Fmax(b).Sum().Backward();
        Close([0, 1, 1], a.Grad!, 0);
        Close([1, 0, 0], b.Grad!, 0);
        var x = Leaf([0.0, 0, 2]);
        var y = Leaf([0.0, 3, 4]);
        x.Xlogy(y).Sum().Backward();
        Close([0, Math.Log(3), Math.Log(4)], x.Grad!, 1e-15);
        Close([double.NaN, 0, 0.5], y.Grad!, 0);
        var c = Leaf([3.0, -2, 0]);
        c.Copysign(Doubles([-1, -1, -1])).Sum().Backward();
        Close([-1, 1, 0], c.Grad!, 0);
        Assert.Equal("Atan2Backward0", Leaf([1.0]).Atan2(Doubles([1])).GradFn!.Name);
        Assert.Equal("HypotBackward0", Leaf([1.0]).Hypot(Doubles([1])).GradFn!.Name);
        Assert.Equal("XlogyBackward0", Leaf([1.0]).Xlogy(Doubles([1])).GradFn!.Name);
        Assert.Equal("XlogyBackward2", Leaf([1.0]).Xlogy(2.0).GradFn!.Name);
        Assert.Equal("XlogyBackward1", Torch.Xlogy(2.0, Leaf([1.0])).GradFn!.Name);
        Assert.Equal("CopysignBackward0", Leaf([1.0]).Copysign(Doubles([1])).GradFn!.Name);
        Assert.Equal("CopysignBackward1", Leaf([1.0]).Copysign(-1.0).GradFn!.Name);
        Assert.Equal("FmaxBackward0", Leaf([1.0]).Fmax(Doubles([1])).GradFn!.Name);
        Assert.Equal("FminBackward0", Leaf([1.0]).Fmin(Doubles([1])).GradFn!.Name);
        Assert.Equal("LogaddexpBackward0", Leaf([1.0]).Logaddexp(Doubles([1])).GradFn!.Name);
        Assert.Equal("Logaddexp2Backward0", Leaf([1.0]).Logaddexp2(Doubles([1])).GradFn!.Name);
        Assert.Equal("PowBackward0", Leaf([1.0]).FloatPower(2.0).GradFn!.Name);
        Assert.Equal("PowBackward1", Leaf([1.0]).FloatPower(Doubles([2])).GradFn!.Name);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void SignOfNaNIsZeroAndOfNegativeZeroIsPositiveZeroAsInPyTorch(DType dtype)
    {
        // torch.sign is (0 < x) - (x < 0): NaN gives 0, unlike NumPy (pytorch/pytorch#41245), and -0.0 gives +0.0
        var x = Doubles([double.NaN, -0.0, 0.0, double.NegativeInfinity, 2.5]).To(dtype);
        foreach (var y in new[] { x.Sign(), x.Sgn() })
        {
            var v = y.To(DType.Float64).ToArray<double>();
            Assert.Equal([0L, 0L, 0L], v.Take(3).Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal([-1.0, 1.0], v.Skip(3));
        }
    }

    [Fact]
    public void ClassificationFunctionsGiveBoolResults()
    {
        // .NET's double.NaN has its sign bit set; Python's float('nan') does not
        double nan = double.CopySign(double.NaN, 1), inf = double.PositiveInfinity;
        var x = Doubles([1, nan, inf, -inf, -0.0, 0, -2]);
        Assert.Equal([false, true, false, false, false, false, false], x.IsNan().ToArray<bool>());
        Assert.Equal([false, false, true, true, false, false, false], x.IsInf().ToArray<bool>());
        Assert.Equal([false, false, true, false, false, false, false], x.IsPosInf().ToArray<bool>());
        Assert.Equal([false, false, false, true, false, false, false], Torch.IsNegInf(x).ToArray<bool>());
        Assert.Equal([true, false, false, false, true, true, true], x.IsFinite().ToArray<bool>());
        Assert.Equal([false, false, false, true, true, false, true], x.Signbit().ToArray<bool>());
        // a NaN with its sign bit set
        Assert.Equal([true, false], Doubles([-nan, nan]).Copysign(Doubles([-1, 1])).Signbit().ToArray<bool>());
        Assert.Equal([true, false], Torch.FromArray([-0.0f, 0.0f]).Signbit().ToArray<bool>());
        Assert.Equal([true, false], Torch.FromArray([-0.0f, 0.0f]).To(DType.BFloat16).Signbit().ToArray<bool>());
        foreach (var dtype in new[] { DType.Int64, DType.UInt8, DType.Bool })
        {
            var i = Longs([0, 1, 3]).To(dtype);
            Assert.Equal([false, false, false], i.IsNan().ToArray<bool>());
            Assert.Equal([false, false, false], i.IsInf().ToArray<bool>());
            Assert.Equal([false, false, false], i.IsPosInf().ToArray<bool>());
            Assert.Equal([true, true, true], i.IsFinite().ToArray<bool>());
            Assert.Equal([false, false, false], i.Signbit().ToArray<bool>());
            Assert.Equal(DType.Bool, i.IsFinite().DType);
        }
        Assert.Equal([true, false], Longs([-1, 1]).Signbit().ToArray<bool>());
        Assert.Null(Leaf([1.0]).IsNan().GradFn);
    }

    [Fact]
    public void NanToNumReplacesNanAndInfinities()
    {
        double nan = double.NaN, inf = double.PositiveInfinity;
        Close([0, double.MaxValue, -double.MaxValue, 1.5], Doubles([nan, inf, -inf, 1.5]).NanToNum(), 0);
        Close([7, 100, -100, 1.5], Torch.NanToNum(Doubles([nan, inf, -inf, 1.5]), 7, 100, -100), 0);
        Close([0, float.MaxValue, -float.MaxValue], Torch.FromArray([float.NaN, float.PositiveInfinity, float.NegativeInfinity]).NanToNum(), 0);
        Close([0, 65504, -65504], Doubles([nan, inf, -inf]).To(DType.Float16).NanToNum(), 0);
        var ints = Longs([1, 2]);
        var copy = ints.NanToNum();
        Assert.Equal(DType.Int64, copy.DType);
        Assert.False(ReferenceEquals(ints, copy));
        var x = Leaf([nan, 2, inf]);
        var y = x.NanToNum();
        Assert.Equal("NanToNumBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        Close([0, 1, 0], x.Grad!, 0);
        var view = Doubles([nan, 1, inf, 2], 2, 2).T();
        view.NanToNum_(-1, 9);
        Close([-1, 9, 1, 2], view, 0);
    }

    [Fact]
    public void LogitClampsWithEpsAndPassesGradCheck()
    {
        var p = Doubles([0.1, 0.5, 0.75]);
        Close([Math.Log(0.1 / 0.9), 0, Math.Log(3)], p.Logit(), 1e-15);
        Close([Math.Log(0.2 / 0.8), Math.Log(0.2 / 0.8), Math.Log(0.8 / 0.2)], Doubles([0.0, 0.1, 1]).Logit(0.2), 1e-15);
        Close([double.NegativeInfinity, double.PositiveInfinity, double.NaN], Doubles([0, 1, 2]).Logit(), 0);
        Assert.Equal(DType.Float32, Longs([0, 1]).Logit().DType);
        Assert.True(Torch.GradCheck(t => t[0].Logit(), [Leaf([0.1, 0.4, 0.8])]));
        Assert.True(Torch.GradCheck(t => t[0].Logit(0.05), [Leaf([0.1, 0.4, 0.8])]));
        var x = Leaf([0.01, 0.5, 1.5]);
        var y = x.Logit(0.05);
        Assert.Equal("LogitBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        Close([0, 4, 0], x.Grad!, 1e-15);
        var z = Leaf([1.5, 0.5]);
        z.Logit().Sum().Backward();
        Close([double.NaN, 4], z.Grad!, 1e-15);
    }

    [Fact]
    public void LerpMatchesPyTorchsFormulaAndGradients()
    {
        var start = Doubles([1, 2, 3, 4], 2, 2);
        var end = Doubles([10, 20]);
        Close([3.25, 6.5, 4.75, 8], start.Lerp(end, 0.25), 1e-15);
        Close([10, 20, 10, 20], start.Lerp(end, 1.0), 0);
        var weight = Doubles([0, 0.75], 2, 1);
        Close([1, 2, 8.25, 16], Torch.Lerp(start, end, weight), 1e-15);
        Assert.True(Torch.GradCheck(t => t[0].Lerp(t[1], 0.3), [Leaf([1.0, 2, 3, 4], 2, 2), Leaf([10.0, 20])]));
        Assert.True(Torch.GradCheck(t => t[0].Lerp(t[1], 0.8), [Leaf([1.0, 2, 3, 4], 2, 2), Leaf([10.0, 20])]));
        Assert.True(Torch.GradCheck(t => t[0].Lerp(t[1], t[2]), [Leaf([1.0, 2, 3, 4], 2, 2), Leaf([10.0, 20]), Leaf([0.2, 0.9], 2, 1)]));
        Assert.Equal("LerpBackward0", Leaf([1.0]).Lerp(Doubles([2]), 0.5).GradFn!.Name);
        Assert.Equal("LerpBackward1", Leaf([1.0]).Lerp(Doubles([2]), Doubles([0.5])).GradFn!.Name);
        Assert.Equal("expected dtype float for `end` but got dtype double",
            Assert.Throws<InvalidOperationException>(() => Torch.FromArray([1f]).Lerp(Doubles([1]), 0.5)).Message);
        Assert.Equal("expected dtype double for `weight` but got dtype float",
            Assert.Throws<InvalidOperationException>(() => Doubles([1]).Lerp(Doubles([1]), Torch.FromArray([0.5f]))).Message);
        Assert.Equal("\"lerp_kernel_scalar\" not implemented for 'Long'",
            Assert.Throws<NotSupportedException>(() => Longs([1]).Lerp(Longs([2]), 0.5)).Message);
        var target = Doubles([0, 0, 0, 0], 2, 2).T();
        target.Lerp_(Doubles([4, 8]), 0.5);
        Close([2, 4, 2, 4], target, 0);
    }

    [Fact]
    public void AddcmulAndAddcdivComputeInThePromotedDtype()
    {
        var input = Doubles([1, 2, 3]);
        var t1 = Doubles([2, 4, 6]);
        var t2 = Doubles([4, 8], 2, 1);
        Close([9, 18, 27, 17, 34, 51], input.Addcmul(t1, t2), 0);
        Close([1.25, 2.5, 3.75, 1.125, 2.25, 3.375], Torch.Addcdiv(input, t1, t2, 0.5), 1e-15);
        Assert.Equal(DType.Int64, Longs([1]).Addcmul(Longs([2]), Longs([3]), 2).DType);
        Assert.Equal([13L], Longs([1]).Addcmul(Longs([2]), Longs([3]), 2).ToArray<long>());
        Assert.Equal(DType.Float32, Longs([1]).Addcmul(Torch.FromArray([2f]), Longs([3])).DType);
        Assert.Equal(DType.Float32, Longs([1]).Addcdiv(Torch.FromArray([2f]), Longs([4])).DType);
        Close([1.5], Longs([1]).Addcdiv(Torch.FromArray([2f]), Longs([4])), 0);
        Assert.StartsWith("Integer division with addcdiv is no longer supported",
            Assert.Throws<InvalidOperationException>(() => Doubles([1]).Addcdiv(Longs([1]), Longs([2]))).Message);
        Assert.True(Torch.GradCheck(t => t[0].Addcmul(t[1], t[2], 0.7), [Leaf([1.0, 2, 3]), Leaf([2.0, 4, 6]), Leaf([4.0, 8], 2, 1)]));
        Assert.True(Torch.GradCheck(t => t[0].Addcdiv(t[1], t[2], -1.5), [Leaf([1.0, 2, 3]), Leaf([2.0, 4, 6]), Leaf([4.0, 8], 2, 1)]));
        Assert.Equal("AddcmulBackward0", Leaf([1.0]).Addcmul(Doubles([1]), Doubles([1])).GradFn!.Name);
        Assert.Equal("AddcdivBackward0", Leaf([1.0]).Addcdiv(Doubles([1]), Doubles([1])).GradFn!.Name);
        var target = Doubles([1, 2, 3, 4], 2, 2).T();
        target.Addcmul_(Doubles([1, 1]), Doubles([10, 20]), 0.5);
        Close([6, 13, 7, 14], target.Contiguous(), 0);
        target.Addcdiv_(Doubles([2, 2]), Doubles([1, 2]));
        Close([8, 14, 9, 15], target.Contiguous(), 0);
    }

    [Fact]
    public void PositiveReturnsTheTensorAndRefusesBool()
    {
        var x = Doubles([1, -2]);
        Assert.Same(x, x.Positive());
        Assert.Same(x, Torch.Positive(x));
        Assert.Equal("The `+` operator, on a bool tensor is not supported.",
            Assert.Throws<InvalidOperationException>(() => Torch.FromArray([true]).Positive()).Message);
        Assert.Equal([-1L, 0, 1], Longs([-5, 0, 3]).Sgn().ToArray<long>());
    }
}
