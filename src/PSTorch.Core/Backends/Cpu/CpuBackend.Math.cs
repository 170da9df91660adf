using System.Numerics;
using PSTorch.Ops;

namespace PSTorch.Backends.Cpu;

/// <summary>The kernels of <see cref="UnaryMath"/> and <see cref="BinaryMath"/> on floating-point dtypes (MathKernels.cs).</summary>
internal sealed partial class CpuBackend
{
    /// <summary>Runs op if it is one of the math functions; false for the ops of <see cref="UnaryFloat{T}"/>.</summary>
    static bool TryUnaryFloatMath<T>(UnaryOp op, Tensor dst, Tensor src) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Floor: Run(new UnaryRow<T, FloorFunction<T>>(), dst, src); break;
            case UnaryOp.Ceil: Run(new UnaryRow<T, CeilFunction<T>>(), dst, src); break;
            case UnaryOp.Round: Run(new UnaryRow<T, RoundFunction<T>>(), dst, src); break;
            case UnaryOp.Trunc: Run(new UnaryRow<T, TruncFunction<T>>(), dst, src); break;
            case UnaryOp.Frac: Run(new UnaryRow<T, FracFunction<T>>(), dst, src); break;
            case UnaryOp.Log1p: Run(new UnaryRow<T, Log1pFunction<T>>(), dst, src); break;
            case UnaryOp.Expm1: Run(new UnaryRow<T, Expm1Function<T>>(), dst, src); break;
            case UnaryOp.Log2: Run(new UnaryRow<T, Log2Function<T>>(), dst, src); break;
            case UnaryOp.Log10: Run(new UnaryRow<T, Log10Function<T>>(), dst, src); break;
            case UnaryOp.Exp2: Run(new UnaryRow<T, Exp2Function<T>>(), dst, src); break;
            case UnaryOp.Tan: Run(new UnaryRow<T, TanFunction<T>>(), dst, src); break;
            case UnaryOp.Asin: Run(new UnaryRow<T, AsinFunction<T>>(), dst, src); break;
            case UnaryOp.Acos: Run(new UnaryRow<T, AcosFunction<T>>(), dst, src); break;
            case UnaryOp.Atan: Run(new UnaryRow<T, AtanFunction<T>>(), dst, src); break;
            case UnaryOp.Sinh: Run(new UnaryRow<T, SinhFunction<T>>(), dst, src); break;
            case UnaryOp.Cosh: Run(new UnaryRow<T, CoshFunction<T>>(), dst, src); break;
            case UnaryOp.Asinh: Run(new UnaryRow<T, AsinhFunction<T>>(), dst, src); break;
            case UnaryOp.Acosh: Run(new UnaryRow<T, AcoshFunction<T>>(), dst, src); break;
            case UnaryOp.Atanh: Run(new UnaryRow<T, AtanhFunction<T>>(), dst, src); break;
            case UnaryOp.Erf: Run(new UnaryRow<T, ErfFunction<T>>(), dst, src); break;
            case UnaryOp.Erfc: Run(new UnaryRow<T, ErfcFunction<T>>(), dst, src); break;
            case UnaryOp.Erfinv: Run(new UnaryRow<T, ErfinvFunction<T>>(), dst, src); break;
            case UnaryOp.Sinc: Run(new UnaryRow<T, SincFunction<T>>(), dst, src); break;
            case UnaryOp.Deg2rad: Run(new UnaryRow<T, Deg2radFunction<T>>(), dst, src); break;
            case UnaryOp.Rad2deg: Run(new UnaryRow<T, Rad2degFunction<T>>(), dst, src); break;
            default: return false;
        }
        return true;
    }

    /// <summary>Runs op if it is one of the binary math functions; false for the arithmetic of <see cref="ArithmeticFloat{T}"/>.</summary>
    static bool TryBinaryFloatMath<T>(BinaryOp op, Tensor dst, Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinaryOp.Atan2: Run(new BinaryRow<T, Atan2Function<T>>(), dst, a, b); break;
            case BinaryOp.Hypot: Run(new BinaryRow<T, HypotFunction<T>>(), dst, a, b); break;
            case BinaryOp.Xlogy: Run(new BinaryRow<T, XlogyFunction<T>>(), dst, a, b); break;
            case BinaryOp.Copysign: Run(new BinaryRow<T, CopysignFunction<T>>(), dst, a, b); break;
            case BinaryOp.Fmax: Run(new BinaryRow<T, FmaxFunction<T>>(), dst, a, b); break;
            case BinaryOp.Fmin: Run(new BinaryRow<T, FminFunction<T>>(), dst, a, b); break;
            case BinaryOp.Logaddexp: Run(new BinaryRow<T, LogaddexpFunction<T>>(), dst, a, b); break;
            case BinaryOp.Logaddexp2: Run(new BinaryRow<T, Logaddexp2Function<T>>(), dst, a, b); break;
            default: return false;
        }
        return true;
    }
}
