using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>Elementwise functions of two broadcast tensors: result dtype, kernel call and gradients, in one place.</summary>
internal static class Binary
{
    /// <summary>The dtype the kernel computes in, and the dtype of the result.</summary>
    public static (DType compute, DType result) Types(BinaryOp op, Tensor a, Tensor b)
    {
        var common = Promotion.ResultType(a, b);
        if (op.IsLogical()) return (DType.Bool, DType.Bool);
        if (op.IsComparison()) return (common, DType.Bool);
        if (op.IsBitwise() || op.IsIntegerDivision()) return IntegerOpTypes(op, common, a.Device);
        if (op.IsMath()) return BinaryMath.Types(op, common, a.Device);
        if (op == BinaryOp.Div && !common.IsFloatingPoint()) return (DTypes.DefaultFloat, DTypes.DefaultFloat);
        // PyTorch checks only a scalar exponent; integer tensors to negative integer tensor powers give 0 (or ±1)
        if (op == BinaryOp.Pow && !common.IsFloatingPoint() && b.IsWrappedNumber && Convert.ToInt64(b.Item()) < 0)
            throw new InvalidOperationException("Integers to negative integer powers are not allowed.");
        if (common == DType.Bool && op is BinaryOp.Sub) throw new InvalidOperationException("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
        return (common, common);
    }

    /// <summary>Bitwise ops take integers and bool, the rounding divisions and remainders integers and floats (PyTorch's kernel names in the errors).</summary>
    static (DType, DType) IntegerOpTypes(BinaryOp op, DType common, Device device)
    {
        bool supported = op.IsBitwise() ? !common.IsFloatingPoint() : common != DType.Bool;
        if (!supported)
        {
            string kernel = op switch
            {
                BinaryOp.BitwiseAnd => "bitwise_and", BinaryOp.BitwiseOr => "bitwise_or", BinaryOp.BitwiseXor => "bitwise_xor",
                BinaryOp.DivTrunc => "div_trunc", BinaryOp.Remainder => "remainder", BinaryOp.Fmod => "fmod", _ => "div_floor",
            };
            string backend = device.Type == DeviceType.Cuda ? "cuda" : "cpu";
            throw new NotSupportedException($"\"{kernel}_{backend}\" not implemented for '{common.LegacyName()}'");
        }
        return (common, common);
    }

    public static Tensor Apply(BinaryOp op, Tensor a, Tensor b)
    {
        if (op == BinaryOp.Pow) (a, b) = Amp.Autocast.Cast("pow", a, b);
        (a, b) = Backend.Colocate(a, b);
        Backend.CheckSameDevice(a, b);
        var shape = Shapes.Broadcast(a.ShapeRef, b.ShapeRef);
        var (compute, result) = Types(op, a, b);
        var y = Tensor.Empty(shape, result, a.Device);
        Compute(op, y, a, b, compute);
        if (!op.IsComparison() && !op.IsLogical() && Graph.ShouldRecord(a, b)) RecordGradient(op, y, a, b);
        return y;
    }

    /// <summary>a = a op b; b broadcasts to a's shape, the result must be castable to a's dtype.</summary>
    public static Tensor ApplyInPlace(BinaryOp op, Tensor a, Tensor b)
    {
        if (b.Device != a.Device) b = Backend.Colocate(a, b).Item2;
        Backend.CheckSameDevice(a, b);
        var shape = Shapes.Broadcast(a.ShapeRef, b.ShapeRef);
        if (!shape.AsSpan().SequenceEqual(a.ShapeRef))
            throw new ArgumentException($"output with shape {Shapes.Format(a.ShapeRef)} doesn't match the broadcast shape {Shapes.Format(shape)}");
        var (compute, result) = Types(op, a, b);
        Promotion.CheckCanCast(result, a.DType);
        if (InPlace.MustRecord(a, b)) return InPlace.Rebase(a, Apply(op, InPlace.Snapshot(a), b));
        if (result == a.DType && compute == a.DType) Compute(op, a, a, b, compute);
        else
        {
            var tmp = Tensor.Empty(shape, result, a.Device);
            Compute(op, tmp, a, b, compute);
            a.CopyFrom(tmp);
        }
        a.BumpVersion();
        return a;
    }

    static void Compute(BinaryOp op, Tensor y, Tensor a, Tensor b, DType compute)
    {
        var shape = y.ShapeRef;
        // bool + bool and bool * bool stay bool (PyTorch): they are or and and; so are the bitwise ops on bool
        if (compute == DType.Bool)
            op = op switch
            {
                BinaryOp.Add or BinaryOp.Maximum or BinaryOp.BitwiseOr => BinaryOp.LogicalOr,
                BinaryOp.Mul or BinaryOp.Minimum or BinaryOp.BitwiseAnd => BinaryOp.LogicalAnd,
                BinaryOp.BitwiseXor => BinaryOp.LogicalXor,
                _ => op,
            };
        var ca = a.DType == compute ? a : a.To(compute);
        var cb = b.DType == compute ? b : b.To(compute);
        var ea = ca.BroadcastView(shape);
        var eb = cb.BroadcastView(shape);
        Backend.For(y).Binary(op, y, ea, eb);
        // release the temporaries' claims on memory now rather than in the GC's finalizer thread
        ReleaseTemporary(ea, a);
        ReleaseTemporary(eb, b);
        ReleaseTemporary(ca, a);
        ReleaseTemporary(cb, b);
    }

    static void ReleaseTemporary(Tensor temporary, Tensor operand)
    {
        if (!ReferenceEquals(temporary, operand)) temporary.Dispose();
    }

    static void RecordGradient(BinaryOp op, Tensor y, Tensor a, Tensor b)
    {
        var sa = a.ShapeRef; var sb = b.ShapeRef;
        var ta = a.DType; var tb = b.DType;
        // Gradients are reduced to each input's shape (undoing broadcasting) and dtype.
        Tensor ToA(Tensor g) => g.SumToSize(sa).To(ta);
        Tensor ToB(Tensor g) => g.SumToSize(sb).To(tb);
        switch (op)
        {
            case BinaryOp.Add:
                Graph.Record(y, "AddBackward0", [a, b], [], (g, _, n) => [n[0] ? ToA(g) : null, n[1] ? ToB(g) : null]);
                break;
            case BinaryOp.Sub:
                Graph.Record(y, "SubBackward0", [a, b], [], (g, _, n) => [n[0] ? ToA(g) : null, n[1] ? ToB(-g) : null]);
                break;
            case BinaryOp.Mul:
                Graph.Record(y, "MulBackward0", [a, b], [a, b], (g, s, n) => [n[0] ? ToA(g * s[1]) : null, n[1] ? ToB(g * s[0]) : null]);
                break;
            case BinaryOp.Div:
                Graph.Record(y, "DivBackward0", [a, b], [a, b], (g, s, n) =>
                    [n[0] ? ToA(g / s[1]) : null, n[1] ? ToB(-g * s[0] / (s[1] * s[1])) : null]);
                break;
            case BinaryOp.Pow:
                string name = b.IsWrappedNumber ? "PowBackward0" : a.IsWrappedNumber ? "PowBackward2" : "PowBackward1";
                Graph.Record(y, name, [a, b], [a, b, y], (g, s, n) =>
                [
                    n[0] ? ToA(PowBaseGrad(g, s[0], s[1])) : null,
                    // d(a^b)/db = a^b * log(a), taken as 0 where a == 0 and b >= 0 (PyTorch's convention)
                    n[1] ? ToB(Torch.Where((s[0] == 0) & (s[1] >= 0), Torch.ZerosLike(g), g * s[2] * s[0].Log())) : null,
                ]);
                break;
            case BinaryOp.Maximum:
            case BinaryOp.Minimum:
                Graph.Record(y, op == BinaryOp.Maximum ? "MaximumBackward0" : "MinimumBackward0", [a, b], [a, b], (g, s, n) =>
                {
                    var aWins = (op == BinaryOp.Maximum ? s[0] > s[1] : s[0] < s[1]).To(g.DType);
                    var tie = s[0].Eq(s[1]).To(g.DType) * 0.5;
                    return [n[0] ? ToA(g * (aWins + tie)) : null, n[1] ? ToB(g * (1 - aWins - tie)) : null];
                });
                break;
            case BinaryOp.Remainder:
            case BinaryOp.Fmod:
                // d/db: -floor(a / b) for remainder, -trunc(a / b) for fmod, with PyTorch's rounding-division kernels
                var quotient = op == BinaryOp.Remainder ? BinaryOp.DivFloor : BinaryOp.DivTrunc;
                string remainderName = (op == BinaryOp.Remainder ? "RemainderBackward" : "FmodBackward") + (b.IsWrappedNumber ? "0" : "1");
                Graph.Record(y, remainderName, [a, b], [a, b], (g, s, n) =>
                    [n[0] ? ToA(g) : null, n[1] ? ToB(-g * Apply(quotient, s[0], s[1])) : null]);
                break;
            case BinaryOp.DivFloor:
            case BinaryOp.DivTrunc:
                // div with a rounding mode is piecewise constant: PyTorch's div_tensor_*_backward give zeros
                Graph.Record(y, b.IsWrappedNumber ? "DivBackward3" : "DivBackward2", [a, b], [], (g, _, n) =>
                    [n[0] ? ToA(Torch.ZerosLike(g)) : null, n[1] ? ToB(Torch.ZerosLike(g)) : null]);
                break;
            case BinaryOp.FloorDivide:
                // floor_divide has no derivative formula in PyTorch: backward through it fails
                Graph.Record(y, "NotImplemented", [a, b], [], (_, _, _) => throw new NotSupportedException("derivative for floor_divide is not implemented"));
                break;
            default:
                BinaryMath.RecordGradient(op, y, a, b);
                break;
        }
    }

    /// <summary>d(a^b)/da = b * a^(b-1), and exactly 0 where b == 0 (so 0^0 does not produce NaN).</summary>
    static Tensor PowBaseGrad(Tensor g, Tensor a, Tensor b)
    {
        var grad = g * b * a.Pow(b - 1);
        return Torch.Where(b == 0, Torch.ZerosLike(grad), grad);
    }
}
