using PSTorch.Cuda.Bindings;
using PSTorch.Ops;

namespace PSTorch.Backends.Cuda;

/// <summary>The one mapping from the engine's op and dtype enums to libpstorch_cuda's codes.</summary>
internal static class CudaOpCodes
{
    /// <summary>pst_dtype's values are PSTorch.DType's by design (the header says so; a test checks every member).</summary>
    public static PstDtype Of(DType dtype) => (PstDtype)(int)dtype;

    public static PstUnaryOp Of(UnaryOp op) => op switch
    {
        UnaryOp.Neg => PstUnaryOp.Neg,
        UnaryOp.Abs => PstUnaryOp.Abs,
        UnaryOp.Relu => PstUnaryOp.Relu,
        UnaryOp.Sign => PstUnaryOp.Sign,
        UnaryOp.LogicalNot => PstUnaryOp.LogicalNot,
        UnaryOp.Exp => PstUnaryOp.Exp,
        UnaryOp.Log => PstUnaryOp.Log,
        UnaryOp.Sqrt => PstUnaryOp.Sqrt,
        UnaryOp.Rsqrt => PstUnaryOp.Rsqrt,
        UnaryOp.Sin => PstUnaryOp.Sin,
        UnaryOp.Cos => PstUnaryOp.Cos,
        UnaryOp.Tanh => PstUnaryOp.Tanh,
        UnaryOp.Sigmoid => PstUnaryOp.Sigmoid,
        UnaryOp.Reciprocal => PstUnaryOp.Reciprocal,
        UnaryOp.Floor => PstUnaryOp.Floor,
        UnaryOp.Ceil => PstUnaryOp.Ceil,
        UnaryOp.Round => PstUnaryOp.Round,
        UnaryOp.Trunc => PstUnaryOp.Trunc,
        UnaryOp.Frac => PstUnaryOp.Frac,
        UnaryOp.Sgn => PstUnaryOp.Sgn,
        UnaryOp.Log1p => PstUnaryOp.Log1p,
        UnaryOp.Expm1 => PstUnaryOp.Expm1,
        UnaryOp.Log2 => PstUnaryOp.Log2,
        UnaryOp.Log10 => PstUnaryOp.Log10,
        UnaryOp.Exp2 => PstUnaryOp.Exp2,
        UnaryOp.Tan => PstUnaryOp.Tan,
        UnaryOp.Asin => PstUnaryOp.Asin,
        UnaryOp.Acos => PstUnaryOp.Acos,
        UnaryOp.Atan => PstUnaryOp.Atan,
        UnaryOp.Sinh => PstUnaryOp.Sinh,
        UnaryOp.Cosh => PstUnaryOp.Cosh,
        UnaryOp.Asinh => PstUnaryOp.Asinh,
        UnaryOp.Acosh => PstUnaryOp.Acosh,
        UnaryOp.Atanh => PstUnaryOp.Atanh,
        UnaryOp.Erf => PstUnaryOp.Erf,
        UnaryOp.Erfc => PstUnaryOp.Erfc,
        UnaryOp.Erfinv => PstUnaryOp.Erfinv,
        UnaryOp.Sinc => PstUnaryOp.Sinc,
        UnaryOp.Deg2rad => PstUnaryOp.Deg2rad,
        UnaryOp.Rad2deg => PstUnaryOp.Rad2deg,
        _ => throw new NotSupportedException($"'{op}' is not implemented for cuda"),
    };

    public static PstBinaryOp Of(BinaryOp op) => op switch
    {
        BinaryOp.Add => PstBinaryOp.Add,
        BinaryOp.Sub => PstBinaryOp.Sub,
        BinaryOp.Mul => PstBinaryOp.Mul,
        BinaryOp.Div => PstBinaryOp.Div,
        BinaryOp.Pow => PstBinaryOp.Pow,
        BinaryOp.Maximum => PstBinaryOp.Maximum,
        BinaryOp.Minimum => PstBinaryOp.Minimum,
        BinaryOp.Eq => PstBinaryOp.Eq,
        BinaryOp.Ne => PstBinaryOp.Ne,
        BinaryOp.Lt => PstBinaryOp.Lt,
        BinaryOp.Le => PstBinaryOp.Le,
        BinaryOp.Gt => PstBinaryOp.Gt,
        BinaryOp.Ge => PstBinaryOp.Ge,
        BinaryOp.LogicalAnd => PstBinaryOp.LogicalAnd,
        BinaryOp.LogicalOr => PstBinaryOp.LogicalOr,
        BinaryOp.LogicalXor => PstBinaryOp.LogicalXor,
        BinaryOp.DivFloor => PstBinaryOp.DivFloor,
        BinaryOp.DivTrunc => PstBinaryOp.DivTrunc,
        BinaryOp.FloorDivide => PstBinaryOp.FloorDivide,
        BinaryOp.Remainder => PstBinaryOp.Remainder,
        BinaryOp.Fmod => PstBinaryOp.Fmod,
        BinaryOp.BitwiseAnd => PstBinaryOp.BitwiseAnd,
        BinaryOp.BitwiseOr => PstBinaryOp.BitwiseOr,
        BinaryOp.BitwiseXor => PstBinaryOp.BitwiseXor,
        BinaryOp.Atan2 => PstBinaryOp.Atan2,
        BinaryOp.Hypot => PstBinaryOp.Hypot,
        BinaryOp.Xlogy => PstBinaryOp.Xlogy,
        BinaryOp.Copysign => PstBinaryOp.Copysign,
        BinaryOp.Fmax => PstBinaryOp.Fmax,
        BinaryOp.Fmin => PstBinaryOp.Fmin,
        BinaryOp.Logaddexp => PstBinaryOp.Logaddexp,
        BinaryOp.Logaddexp2 => PstBinaryOp.Logaddexp2,
        _ => throw new NotSupportedException($"'{op}' is not implemented for cuda"),
    };

    public static PstReduceOp Of(ReduceOp op) => op switch
    {
        ReduceOp.Sum => PstReduceOp.Sum,
        ReduceOp.Prod => PstReduceOp.Prod,
        ReduceOp.Max => PstReduceOp.Max,
        ReduceOp.Min => PstReduceOp.Min,
        _ => throw new NotSupportedException($"'{op}' is not implemented for cuda"),
    };

    public static PstScanOp Of(ScanOp op) => op switch
    {
        ScanOp.Sum => PstScanOp.Sum,
        ScanOp.Prod => PstScanOp.Prod,
        ScanOp.Max => PstScanOp.Max,
        ScanOp.Min => PstScanOp.Min,
        ScanOp.LogSumExp => PstScanOp.Logsumexp,
        _ => throw new NotSupportedException($"'{op}' is not implemented for cuda"),
    };
}
