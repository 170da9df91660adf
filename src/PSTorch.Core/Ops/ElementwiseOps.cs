namespace PSTorch.Ops;

/// <summary>Elementwise functions of one tensor. Their dtype rules and gradients live in <see cref="Unary"/>.</summary>
public enum UnaryOp
{
    Neg, Abs, Relu, Sign, LogicalNot,
    // rounding keeps integer dtypes (a copy); Frac needs a floating-point input; Sgn is Sign for real dtypes
    Floor, Ceil, Round, Trunc, Frac, Sgn,
    // floating-point results (integer inputs are promoted to the default float dtype)
    Exp, Log, Sqrt, Rsqrt, Sin, Cos, Tanh, Sigmoid, Reciprocal,
    Log1p, Expm1, Log2, Log10, Exp2, Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh,
    Erf, Erfc, Erfinv, Sinc, Deg2rad, Rad2deg,
}

/// <summary>Elementwise functions of two broadcast tensors. Their dtype rules and gradients live in <see cref="Binary"/>.</summary>
public enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Maximum, Minimum,
    Eq, Ne, Lt, Le, Gt, Ge,
    LogicalAnd, LogicalOr, LogicalXor,
    // div(rounding_mode='floor'|'trunc'); FloorDivide is torch.floor_divide: DivFloor's values, no gradient
    DivFloor, DivTrunc, FloorDivide, Remainder, Fmod,
    // bitwise on integers; on bool they run as the logical ops
    BitwiseAnd, BitwiseOr, BitwiseXor,
    // elementwise math (BinaryMath): atan2, xlogy and copysign promote integers to the default float dtype,
    // hypot and logaddexp(2) need floating-point inputs, fmax/fmin ignore NaN
    Atan2, Hypot, Xlogy, Copysign, Fmax, Fmin, Logaddexp, Logaddexp2,
}

internal static class ElementwiseOpFacts
{
    public static bool IsComparison(this BinaryOp op) => op is BinaryOp.Eq or BinaryOp.Ne or BinaryOp.Lt or BinaryOp.Le or BinaryOp.Gt or BinaryOp.Ge;
    public static bool IsLogical(this BinaryOp op) => op is BinaryOp.LogicalAnd or BinaryOp.LogicalOr or BinaryOp.LogicalXor;
    public static bool IsBitwise(this BinaryOp op) => op is BinaryOp.BitwiseAnd or BinaryOp.BitwiseOr or BinaryOp.BitwiseXor;
    /// <summary>The ops that keep integer inputs integer and divide: quotients rounded down or toward zero, and remainders.</summary>
    public static bool IsIntegerDivision(this BinaryOp op) => op is BinaryOp.DivFloor or BinaryOp.DivTrunc or BinaryOp.FloorDivide or BinaryOp.Remainder or BinaryOp.Fmod;
    public static bool IsFloatOnly(this UnaryOp op) => op >= UnaryOp.Exp;
}
