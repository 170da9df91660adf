using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>round(decimals), logit(eps) and float_power: compositions of elementwise ops with PyTorch's dtypes and grad_fn.</summary>
internal static class MathCompositions
{
    /// <summary>
    /// Rounds half to even at 10^-decimals: rint(x * 10^d) / 10^d, or rint(x / 10^-d) * 10^-d for negative d, as PyTorch's
    /// kernel. Floating dtypes only (decimals 0 is plain round); RoundBackward1 gives zeros.
    /// </summary>
    public static Tensor Round(Tensor x, long decimals)
    {
        if (decimals == 0) return Unary.Apply(UnaryOp.Round, x);
        if (!x.DType.IsFloatingPoint())
            throw new NotSupportedException($"\"{(x.Device.Type == DeviceType.Cuda ? "round_cuda" : "round_cpu")}\" not implemented for '{x.DType.LegacyName()}'");
        double tenPow = Math.Pow(10, Math.Abs(decimals));
        Tensor y;
        using (GradMode.Set(false))
        {
            using var scaled = decimals > 0 ? x * tenPow : x / tenPow;
            using var rounded = scaled.Round();
            y = decimals > 0 ? rounded / tenPow : rounded * tenPow;
        }
        if (Graph.ShouldRecord(x)) Graph.Record(y, "RoundBackward1", [x], [], (g, _, _) => [Torch.ZerosLike(g)]);
        return y;
    }

    /// <summary>
    /// log(p / (1 - p)), with p clamped to [eps, 1 - eps] when eps is given; integers promote to the default float dtype.
    /// LogitBackward0: g / (x (1 - x)), 0 outside [eps, 1 - eps] with eps, NaN outside [0, 1] without.
    /// </summary>
    public static Tensor Logit(Tensor x, double? eps)
    {
        var dtype = x.DType.IsFloatingPoint() ? x.DType : DTypes.DefaultFloat;
        Tensor y;
        using (GradMode.Set(false))
        {
            using var p = eps is { } e ? x.To(dtype).Clamp(e, 1 - e) : x.To(dtype, copy: true);
            using var complement = 1 - p;
            using var odds = p / complement;
            y = odds.Log();
        }
        if (Graph.ShouldRecord(x))
            Graph.Record(y, "LogitBackward0", [x], [x], (g, s, _) =>
            {
                var v = s[0];
                var d = g / (v * (1 - v));
                return eps is { } e
                    ? [Torch.Where((v < e) | (v > 1 - e), 0.0, d)]
                    : [Torch.Where((v < 0L) | (v > 1L), double.NaN, d)];
            });
        return y;
    }

    /// <summary>float_power: both operands as float64, then pow (PowBackward0/1/2 and ToCopyBackward0 as PyTorch's composite).</summary>
    public static Tensor FloatPower(Tensor x, Tensor exponent) =>
        x.IsWrappedNumber ? Torch.Pow(Convert.ToDouble(x.Item()), exponent.To(DType.Float64))
        : exponent.IsWrappedNumber ? x.To(DType.Float64).Pow(Convert.ToDouble(exponent.Item()))
        : x.To(DType.Float64).Pow(exponent.To(DType.Float64));

    /// <summary>float_power_ needs a float64 base: the result cannot narrow back.</summary>
    public static Tensor FloatPowerInPlace(Tensor x, Tensor exponent)
    {
        if (x.DType != DType.Float64)
            throw new InvalidOperationException($"the base given to float_power_ has dtype {x.DType.LegacyName()} but the operation's result requires dtype Double");
        return exponent.IsWrappedNumber ? x.Pow_(Convert.ToDouble(exponent.Item())) : x.Pow_(exponent.To(DType.Float64));
    }
}
