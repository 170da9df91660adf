using System.Numerics;
using PSTorch.Ops;

namespace PSTorch.Backends.Cpu;

/// <summary>The reference backend: managed C#, vectorised through TensorPrimitives, split over the cores.</summary>
internal sealed unsafe partial class CpuBackend : IBackend
{
    /// <summary>Runs a row kernel over tensors that share dst's shape (operand 0 = dst).</summary>
    internal static void Run<TKernel>(TKernel kernel, params Tensor[] operands) where TKernel : struct, IRowKernel =>
        Run(kernel, parallel: true, operands);

    /// <summary>As above; <paramref name="parallel"/> false keeps the loop on one thread, for kernels whose rows may write one element (scatter-add).</summary>
    internal static void Run<TKernel>(TKernel kernel, bool parallel, Tensor[] operands) where TKernel : struct, IRowKernel
    {
        var strides = new long[operands.Length][];
        var bases = new nint[operands.Length];
        var sizes = new int[operands.Length];
        for (int i = 0; i < operands.Length; i++)
        {
            strides[i] = operands[i].StridesRef;
            bases[i] = (nint)operands[i].DataPointer;
            sizes[i] = operands[i].DType.ElementSize();
        }
        if (parallel) StridedLoop.Run(operands[0].ShapeRef, strides, bases, sizes, kernel);
        else StridedLoop.RunSerial(operands[0].ShapeRef, strides, bases, sizes, kernel);
    }

    /// <summary>Runs <paramref name="compute"/> in float32 for a bfloat16 (or float16) result: there is no bfloat16 arithmetic, only storage.</summary>
    void ViaFloat32(Tensor dst, Tensor[] inputs, Action<Tensor, Tensor[]> compute)
    {
        var f = Tensor.Empty(dst.ShapeRef, DType.Float32, dst.Device);
        var fin = inputs.Select(t => t.DType is DType.BFloat16 or DType.Float16 ? t.To(DType.Float32) : t).ToArray();
        compute(f, fin);
        if (dst.DType == DType.BFloat16) Run(new FloatToBFloat16Row(), dst, f);
        else Copy(dst, f);
    }

    public void Unary(UnaryOp op, Tensor dst, Tensor src)
    {
        if (op == UnaryOp.LogicalNot) { Run(new LogicalNotRow(), dst, src); return; }
        switch (dst.DType)
        {
            case DType.Float32: UnaryFloat<float>(op, dst, src); break;
            case DType.Float64: UnaryFloat<double>(op, dst, src); break;
            case DType.Float16: UnaryFloat<Half>(op, dst, src); break;
            case DType.BFloat16: ViaFloat32(dst, [src], (d, s) => UnaryFloat<float>(op, d, s[0])); break;
            case DType.Int64: UnaryNumber<long>(op, dst, src); break;
            case DType.Int32: UnaryNumber<int>(op, dst, src); break;
            case DType.Int16: UnaryNumber<short>(op, dst, src); break;
            case DType.Int8: UnaryNumber<sbyte>(op, dst, src); break;
            case DType.UInt8: UnaryNumber<byte>(op, dst, src); break;
            default: throw new NotSupportedException($"{op.ToString().ToLowerInvariant()} is not implemented for dtype {dst.DType.Name()}");
        }
    }

    static void UnaryFloat<T>(UnaryOp op, Tensor dst, Tensor src) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Exp: Run(new UnaryRow<T, ExpFunction<T>>(), dst, src); break;
            case UnaryOp.Log: Run(new UnaryRow<T, LogFunction<T>>(), dst, src); break;
            case UnaryOp.Sqrt: Run(new UnaryRow<T, SqrtFunction<T>>(), dst, src); break;
            case UnaryOp.Rsqrt: Run(new UnaryRow<T, RsqrtFunction<T>>(), dst, src); break;
            case UnaryOp.Sin: Run(new UnaryRow<T, SinFunction<T>>(), dst, src); break;
            case UnaryOp.Cos: Run(new UnaryRow<T, CosFunction<T>>(), dst, src); break;
            case UnaryOp.Tanh: Run(new UnaryRow<T, TanhFunction<T>>(), dst, src); break;
            case UnaryOp.Sigmoid: Run(new UnaryRow<T, SigmoidFunction<T>>(), dst, src); break;
            case UnaryOp.Reciprocal: Run(new UnaryRow<T, ReciprocalFunction<T>>(), dst, src); break;
            default: if (!TryUnaryFloatMath<T>(op, dst, src)) UnaryNumber<T>(op, dst, src); break;
        }
    }

    static void UnaryNumber<T>(UnaryOp op, Tensor dst, Tensor src) where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: Run(new UnaryRow<T, NegFunction<T>>(), dst, src); break;
            case UnaryOp.Abs: Run(new UnaryRow<T, AbsFunction<T>>(), dst, src); break;
            case UnaryOp.Relu: Run(new UnaryRow<T, ReluFunction<T>>(), dst, src); break;
            case UnaryOp.Sign or UnaryOp.Sgn: Run(new UnaryRow<T, SignFunction<T>>(), dst, src); break;
            default: throw new NotSupportedException($"{op.ToString().ToLowerInvariant()} is not implemented for dtype {dst.DType.Name()}");
        }
    }

    public void Binary(BinaryOp op, Tensor dst, Tensor a, Tensor b)
    {
        if (op.IsLogical()) { Run(new LogicalRow { Op = op }, dst, a, b); return; }
        if (op.IsComparison())
        {
            switch (a.DType)
            {
                case DType.Float32: Run(new CompareRow<float> { Op = op }, dst, a, b); break;
                case DType.Float64: Run(new CompareRow<double> { Op = op }, dst, a, b); break;
                case DType.Float16: Run(new CompareRow<Half> { Op = op }, dst, a, b); break;
                case DType.BFloat16: Binary(op, dst, a.To(DType.Float32), b.To(DType.Float32)); break;
                case DType.Int64: Run(new CompareRow<long> { Op = op }, dst, a, b); break;
                case DType.Int32: Run(new CompareRow<int> { Op = op }, dst, a, b); break;
                case DType.Int16: Run(new CompareRow<short> { Op = op }, dst, a, b); break;
                case DType.Int8: Run(new CompareRow<sbyte> { Op = op }, dst, a, b); break;
                case DType.UInt8: case DType.Bool: Run(new CompareRow<byte> { Op = op }, dst, a, b); break;
            }
            return;
        }
        switch (dst.DType)
        {
            case DType.Float32: ArithmeticFloat<float>(op, dst, a, b); break;
            case DType.Float64: ArithmeticFloat<double>(op, dst, a, b); break;
            case DType.Float16: ArithmeticFloat<Half>(op, dst, a, b); break;
            case DType.BFloat16: ViaFloat32(dst, [a, b], (d, s) => ArithmeticFloat<float>(op, d, s[0], s[1])); break;
            case DType.Int64: ArithmeticInteger<long>(op, dst, a, b); break;
            case DType.Int32: ArithmeticInteger<int>(op, dst, a, b); break;
            case DType.Int16: ArithmeticInteger<short>(op, dst, a, b); break;
            case DType.Int8: ArithmeticInteger<sbyte>(op, dst, a, b); break;
            case DType.UInt8: ArithmeticInteger<byte>(op, dst, a, b); break;
            default: throw new NotSupportedException($"{op.ToString().ToLowerInvariant()} is not implemented for dtype {dst.DType.Name()}");
        }
    }

    static void ArithmeticFloat<T>(BinaryOp op, Tensor dst, Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (op == BinaryOp.Pow) Run(new BinaryRow<T, FloatPowFunction<T>>(), dst, a, b);
        else if (op.IsIntegerDivision()) FloatDivision<T>(op, dst, a, b);
        else if (!TryBinaryFloatMath<T>(op, dst, a, b)) Arithmetic<T>(op, dst, a, b);
    }

    static void ArithmeticInteger<T>(BinaryOp op, Tensor dst, Tensor a, Tensor b) where T : unmanaged, IBinaryInteger<T>
    {
        if (op == BinaryOp.Pow) Run(new BinaryRow<T, IntPowFunction<T>>(), dst, a, b);
        else if (op.IsIntegerDivision() || op.IsBitwise()) IntegerDivisionOrBitwise<T>(op, dst, a, b);
        else Arithmetic<T>(op, dst, a, b);
    }

    static void Arithmetic<T>(BinaryOp op, Tensor dst, Tensor a, Tensor b) where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case BinaryOp.Add: Run(new BinaryRow<T, AddFunction<T>>(), dst, a, b); break;
            case BinaryOp.Sub: Run(new BinaryRow<T, SubFunction<T>>(), dst, a, b); break;
            case BinaryOp.Mul: Run(new BinaryRow<T, MulFunction<T>>(), dst, a, b); break;
            case BinaryOp.Div: Run(new BinaryRow<T, DivFunction<T>>(), dst, a, b); break;
            case BinaryOp.Maximum: Run(new BinaryRow<T, MaximumFunction<T>>(), dst, a, b); break;
            case BinaryOp.Minimum: Run(new BinaryRow<T, MinimumFunction<T>>(), dst, a, b); break;
            default: throw new NotSupportedException($"{op} is not an arithmetic op");
        }
    }

    public void Where(Tensor dst, Tensor cond, Tensor a, Tensor b)
    {
        switch (dst.DType.ElementSize())
        {
            case 1: Run(new WhereRow<byte>(), dst, cond, a, b); break;
            case 2: Run(new WhereRow<short>(), dst, cond, a, b); break;
            case 4: Run(new WhereRow<int>(), dst, cond, a, b); break;
            default: Run(new WhereRow<long>(), dst, cond, a, b); break;
        }
    }

    public void Fill(Tensor dst, double value)
    {
        switch (dst.DType)
        {
            case DType.Float32: Run(new FillRow<float> { Value = (float)value }, dst); break;
            case DType.Float64: Run(new FillRow<double> { Value = value }, dst); break;
            case DType.Float16: Run(new FillRow<Half> { Value = (Half)value }, dst); break;
            case DType.BFloat16: Run(new FillRow<BFloat16> { Value = (BFloat16)(float)value }, dst); break;
            case DType.Int64: Run(new FillRow<long> { Value = (long)value }, dst); break;
            case DType.Int32: Run(new FillRow<int> { Value = (int)value }, dst); break;
            case DType.Int16: Run(new FillRow<short> { Value = (short)value }, dst); break;
            case DType.Int8: Run(new FillRow<sbyte> { Value = (sbyte)value }, dst); break;
            case DType.UInt8: Run(new FillRow<byte> { Value = (byte)value }, dst); break;
            case DType.Bool: Run(new FillRow<byte> { Value = value != 0 ? (byte)1 : (byte)0 }, dst); break;
        }
    }

    public void Copy(Tensor dst, Tensor src)
    {
        if (src.DType == DType.BFloat16 && dst.DType != DType.BFloat16)
        {
            if (dst.DType == DType.Float32) { Run(new BFloat16ToFloatRow(), dst, src); return; }
            var f = Tensor.Empty(src.ShapeRef, DType.Float32, src.Device);
            Run(new BFloat16ToFloatRow(), f, src);
            Copy(dst, f);
            return;
        }
        if (dst.DType == DType.BFloat16 && src.DType != DType.BFloat16)
        {
            var f = src.DType == DType.Float32 ? src : src.To(DType.Float32);
            Run(new FloatToBFloat16Row(), dst, f);
            return;
        }
        switch (src.DType)
        {
            case DType.Float32: CopyFrom<float>(dst, src); break;
            case DType.Float64: CopyFrom<double>(dst, src); break;
            case DType.Float16: CopyFrom<Half>(dst, src); break;
            case DType.Int64: CopyFrom<long>(dst, src); break;
            case DType.Int32: CopyFrom<int>(dst, src); break;
            case DType.Int16: CopyFrom<short>(dst, src); break;
            case DType.Int8: CopyFrom<sbyte>(dst, src); break;
            case DType.UInt8: case DType.Bool: CopyFrom<byte>(dst, src); break;
            case DType.BFloat16: Run(new ConvertRow<short, short>(), dst, src); break;
        }
    }

    static void CopyFrom<TSrc>(Tensor dst, Tensor src) where TSrc : unmanaged, INumberBase<TSrc>
    {
        switch (dst.DType)
        {
            case DType.Float32: Run(new ConvertRow<TSrc, float>(), dst, src); break;
            case DType.Float64: Run(new ConvertRow<TSrc, double>(), dst, src); break;
            case DType.Float16: Run(new ConvertRow<TSrc, Half>(), dst, src); break;
            case DType.Int64: Run(new ConvertRow<TSrc, long>(), dst, src); break;
            case DType.Int32: Run(new ConvertRow<TSrc, int>(), dst, src); break;
            case DType.Int16: Run(new ConvertRow<TSrc, short>(), dst, src); break;
            case DType.Int8: Run(new ConvertRow<TSrc, sbyte>(), dst, src); break;
            case DType.UInt8: Run(new ConvertRow<TSrc, byte>(), dst, src); break;
            case DType.Bool: Run(new ToBoolRow<TSrc>(), dst, src); break;
        }
    }
}
