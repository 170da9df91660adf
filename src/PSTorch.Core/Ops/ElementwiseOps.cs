namespace PSTorch.Ops;

/// <summary>Elementwise functions of one tensor. Their dtype rules and gradients live in <see cref="Unary"/>.</summary>
public enum UnaryOp
{
    Neg, Abs, Relu, Sign, LogicalNot,
    // floating-point results (integer inputs are promoted to the default float dtype)
    Exp, Log, Sqrt, Rsqrt, Sin, Cos, Tanh, Sigmoid, Reciprocal,
}

/// <summary>Elementwise functions of two broadcast tensors. Their dtype rules and gradients live in <see cref="Binary"/>.</summary>
public enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Maximum, Minimum,
    Eq, Ne, Lt, Le, Gt, Ge,
    LogicalAnd, LogicalOr, LogicalXor,
}

internal static class ElementwiseOpFacts
{
    public static bool IsComparison(this BinaryOp op) => op is BinaryOp.Eq or BinaryOp.Ne or BinaryOp.Lt or BinaryOp.Le or BinaryOp.Gt or BinaryOp.Ge;
    public static bool IsLogical(this BinaryOp op) => op is BinaryOp.LogicalAnd or BinaryOp.LogicalOr or BinaryOp.LogicalXor;
    public static bool IsFloatOnly(this UnaryOp op) => op >= UnaryOp.Exp;
}
