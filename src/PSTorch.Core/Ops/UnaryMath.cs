namespace PSTorch.Ops;

/// <summary>
/// The rounding, exponential, trigonometric, hyperbolic and error functions among <see cref="UnaryOp"/>: the dtypes
/// they refuse, when they are a copy, and their grad_fn names and derivatives (PyTorch's derivatives.yaml formulas).
/// </summary>
internal static class UnaryMath
{
    const double Ln2 = 0.6931471805599453;
    const double Ln10 = 2.302585092994045684;
    const double TwoOverSqrtPi = 1.1283791670955126;
    const double HalfSqrtPi = 0.88622692545275801365;

    public static bool IsRounding(this UnaryOp op) => op is UnaryOp.Floor or UnaryOp.Ceil or UnaryOp.Round or UnaryOp.Trunc;

    /// <summary>Rounding an integer tensor copies it, as PyTorch.</summary>
    public static bool IsCopy(UnaryOp op, DType dtype) => op.IsRounding() && !dtype.IsFloatingPoint();

    /// <summary>PyTorch has no kernel for rounding bool tensors, nor for frac of integers or bool.</summary>
    public static void CheckDType(UnaryOp op, Tensor x)
    {
        bool cuda = x.Device.Type == DeviceType.Cuda;
        string? kernel = op.IsRounding() && x.DType == DType.Bool ? op.ToString().ToLowerInvariant() + (cuda ? "_cuda" : "_vml_cpu")
            : op == UnaryOp.Frac && !x.DType.IsFloatingPoint() ? (cuda ? "frac_cuda" : "frac_cpu")
            : null;
        if (kernel != null) throw new NotSupportedException($"\"{kernel}\" not implemented for '{x.DType.LegacyName()}'");
    }

    public static string GradFnName(UnaryOp op) => op switch
    {
        // PyTorch's codegen title-cases the op name, so a letter after a digit is capital
        UnaryOp.Log1p => "Log1PBackward0",
        UnaryOp.Deg2rad => "Deg2RadBackward0",
        UnaryOp.Rad2deg => "Rad2DegBackward0",
        _ => op + "Backward0",
    };

    /// <summary>Whether the derivative is written in terms of the output (the others take the input).</summary>
    public static bool SavesOutput(UnaryOp op) => op is UnaryOp.Expm1 or UnaryOp.Exp2 or UnaryOp.Tan or UnaryOp.Erfinv;

    /// <summary>d op / d x times <paramref name="g"/>; <paramref name="saved"/> is the output or the input as <see cref="SavesOutput"/> says.</summary>
    public static Tensor Derivative(UnaryOp op, Tensor g, Tensor saved) => op switch
    {
        UnaryOp.Floor or UnaryOp.Ceil or UnaryOp.Round or UnaryOp.Trunc or UnaryOp.Sgn => Torch.ZerosLike(g),
        UnaryOp.Frac => g,
        UnaryOp.Log1p => g / (saved + 1),
        UnaryOp.Expm1 => g * (saved + 1),
        UnaryOp.Log2 => g / (saved * Ln2),
        UnaryOp.Log10 => g / (saved * Ln10),
        UnaryOp.Exp2 => g * saved * Ln2,
        UnaryOp.Tan => g * (saved * saved + 1),
        UnaryOp.Asin => g * (1 - saved * saved).Rsqrt(),
        UnaryOp.Acos => -(g * (1 - saved * saved).Rsqrt()),
        UnaryOp.Atan => g / (saved * saved + 1),
        UnaryOp.Sinh => g * saved.Cosh(),
        UnaryOp.Cosh => g * saved.Sinh(),
        UnaryOp.Asinh => g * (saved * saved + 1).Rsqrt(),
        UnaryOp.Acosh => g * (saved * saved - 1).Rsqrt(),
        UnaryOp.Atanh => g / (1 - saved * saved),
        UnaryOp.Erf => g * (-(saved * saved)).Exp() * TwoOverSqrtPi,
        UnaryOp.Erfc => g * (-(saved * saved)).Exp() * -TwoOverSqrtPi,
        UnaryOp.Erfinv => g * (saved * saved).Exp() * HalfSqrtPi,
        UnaryOp.Sinc => g * SincDerivative(saved),
        UnaryOp.Deg2rad => g * (Math.PI / 180),
        UnaryOp.Rad2deg => g * (180 / Math.PI),
        _ => throw new NotSupportedException($"{op} is not differentiable"),
    };

    /// <summary>(pi x cos(pi x) - sin(pi x)) / (pi x^2), and 0 at x = 0 (PyTorch's sinc_backward).</summary>
    static Tensor SincDerivative(Tensor x)
    {
        var piX = x * Math.PI;
        var d = (piX * piX.Cos() - piX.Sin()) / (piX * x);
        return Torch.Where(x == 0, Torch.ZerosLike(d), d);
    }
}
