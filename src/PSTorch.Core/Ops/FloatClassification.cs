using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>
/// isnan, isinf, isposinf, isneginf, isfinite, signbit (bool results) and nan_to_num: compositions of comparisons and
/// copysign, so every backend runs them. Integer and bool inputs have no NaN or infinity (isfinite is all true).
/// </summary>
internal static class FloatClassification
{
    public static Tensor IsNan(Tensor x) => x.Ne(x);

    public static Tensor IsInf(Tensor x)
    {
        if (!x.DType.IsFloatingPoint()) return Torch.ZerosLike(x, DType.Bool);
        using var noGrad = GradMode.Set(false);
        using var magnitude = x.Abs();
        return magnitude.Eq(double.PositiveInfinity);
    }

    public static Tensor IsPosInf(Tensor x) => x.DType.IsFloatingPoint() ? x.Eq(double.PositiveInfinity) : Torch.ZerosLike(x, DType.Bool);

    public static Tensor IsNegInf(Tensor x) => x.DType.IsFloatingPoint() ? x.Eq(double.NegativeInfinity) : Torch.ZerosLike(x, DType.Bool);

    /// <summary>x - x is 0 exactly for finite x and NaN for infinities and NaN.</summary>
    public static Tensor IsFinite(Tensor x)
    {
        if (!x.DType.IsFloatingPoint()) return Torch.OnesLike(x, DType.Bool);
        using var noGrad = GradMode.Set(false);
        using var difference = x - x;
        return difference.Eq(0L);
    }

    /// <summary>Whether the sign bit is set: true for -0.0 and for NaNs with the bit set, which x &lt; 0 cannot see.</summary>
    public static Tensor Signbit(Tensor x)
    {
        if (!x.DType.IsFloatingPoint()) return x.Lt(0L);
        using var noGrad = GradMode.Set(false);
        using var signOfOne = Binary.Apply(BinaryOp.Copysign, Tensor.Wrap(1.0), x);
        return signOfOne.Lt(0L);
    }

    /// <summary>
    /// NaN to <paramref name="nan"/>, +inf to <paramref name="posinf"/>, -inf to <paramref name="neginf"/> (by default
    /// the largest and the lowest finite value of the dtype); integer and bool tensors are copied. NanToNumBackward0
    /// passes the gradient where x is finite.
    /// </summary>
    public static Tensor NanToNum(Tensor x, double nan, double? posinf, double? neginf)
    {
        if (!x.DType.IsFloatingPoint())
        {
            using var noGrad = GradMode.Set(false);
            return x.Clone();
        }
        double largest = LargestFinite(x.DType);
        Tensor y;
        using (GradMode.Set(false))
        {
            using var isNan = IsNan(x);
            using var isPosInf = IsPosInf(x);
            using var isNegInf = IsNegInf(x);
            using var withoutNegInf = Torch.Where(isNegInf, neginf ?? -largest, x);
            using var withoutInf = Torch.Where(isPosInf, posinf ?? largest, withoutNegInf);
            y = Torch.Where(isNan, nan, withoutInf);
        }
        if (Graph.ShouldRecord(x))
            Graph.Record(y, "NanToNumBackward0", [x], [x], (g, s, _) =>
            {
                using var finite = IsFinite(s[0]);
                return [Torch.Where(finite, g, 0.0)];
            });
        return y;
    }

    static double LargestFinite(DType dtype) => dtype switch
    {
        DType.Float64 => double.MaxValue,
        DType.Float32 => float.MaxValue,
        DType.Float16 => (double)Half.MaxValue,
        _ => 3.3895313892515355e38, // bfloat16: 0x7F7F
    };
}
