using System.Numerics;
using PSTorch.Ops;

namespace PSTorch.Backends.Cpu;

/// <summary>Rounding divisions, remainders and bitwise ops (torch.div with rounding_mode, remainder, fmod, bitwise_and/or/xor).</summary>
internal sealed partial class CpuBackend
{
    static void FloatDivision<T>(BinaryOp op, Tensor dst, Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinaryOp.DivFloor or BinaryOp.FloorDivide: Run(new BinaryRow<T, FloatFloorDivideFunction<T>>(), dst, a, b); break;
            case BinaryOp.DivTrunc: Run(new BinaryRow<T, FloatTruncDivideFunction<T>>(), dst, a, b); break;
            case BinaryOp.Remainder: Run(new BinaryRow<T, FloatRemainderFunction<T>>(), dst, a, b); break;
            case BinaryOp.Fmod: Run(new BinaryRow<T, FloatFmodFunction<T>>(), dst, a, b); break;
            default: throw new NotSupportedException($"{op} is not a floating-point division");
        }
    }

    static void IntegerDivisionOrBitwise<T>(BinaryOp op, Tensor dst, Tensor a, Tensor b) where T : unmanaged, IBinaryInteger<T>
    {
        switch (op)
        {
            case BinaryOp.DivFloor or BinaryOp.FloorDivide: Run(new BinaryRow<T, IntFloorDivideFunction<T>>(), dst, a, b); break;
            case BinaryOp.DivTrunc: Run(new BinaryRow<T, IntTruncDivideFunction<T>>(), dst, a, b); break;
            case BinaryOp.Remainder: Run(new BinaryRow<T, IntRemainderFunction<T>>(), dst, a, b); break;
            case BinaryOp.Fmod: Run(new BinaryRow<T, IntFmodFunction<T>>(), dst, a, b); break;
            case BinaryOp.BitwiseAnd: Run(new BinaryRow<T, BitwiseAndFunction<T>>(), dst, a, b); break;
            case BinaryOp.BitwiseOr: Run(new BinaryRow<T, BitwiseOrFunction<T>>(), dst, a, b); break;
            case BinaryOp.BitwiseXor: Run(new BinaryRow<T, BitwiseXorFunction<T>>(), dst, a, b); break;
            default: throw new NotSupportedException($"{op} is not an integer division or bitwise op");
        }
    }
}
