using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>
/// atan2, hypot, xlogy, copysign, fmax/fmin and logaddexp(2) among <see cref="BinaryOp"/>: their dtype rules and
/// gradients (PyTorch's derivatives.yaml formulas).
/// </summary>
internal static class BinaryMath
{
    public static bool IsMath(this BinaryOp op) => op >= BinaryOp.Atan2 && op <= BinaryOp.Logaddexp2;

    /// <summary>
    /// atan2, xlogy and copysign compute integers in the default float dtype; hypot and logaddexp(2) have no integer
    /// kernels in PyTorch; fmax and fmin keep the common dtype (<see cref="NanIgnoring"/> routes integers to maximum/minimum).
    /// </summary>
    public static (DType compute, DType result) Types(BinaryOp op, DType common, Device device)
    {
        if (common.IsFloatingPoint() || op is BinaryOp.Fmax or BinaryOp.Fmin) return (common, common);
        if (op is BinaryOp.Atan2 or BinaryOp.Xlogy or BinaryOp.Copysign) return (DTypes.DefaultFloat, DTypes.DefaultFloat);
        string backend = device.Type == DeviceType.Cuda ? "cuda" : "cpu";
        throw new NotSupportedException($"\"{op.ToString().ToLowerInvariant()}_{backend}\" not implemented for '{common.LegacyName()}'");
    }

    /// <summary>fmax/fmin differ from maximum/minimum only on NaN, which integers and bool do not have.</summary>
    public static BinaryOp NanIgnoring(BinaryOp op, Tensor a, Tensor b)
    {
        if (Promotion.ResultType(a, b).IsFloatingPoint()) return op;
        return op == BinaryOp.Fmax ? BinaryOp.Maximum : BinaryOp.Minimum;
    }

    public static void RecordGradient(BinaryOp op, Tensor y, Tensor a, Tensor b)
    {
        var sa = a.ShapeRef; var sb = b.ShapeRef;
        var ta = a.DType; var tb = b.DType;
        Tensor ToA(Tensor g) => g.SumToSize(sa).To(ta);
        Tensor ToB(Tensor g) => g.SumToSize(sb).To(tb);
        switch (op)
        {
            case BinaryOp.Atan2:
                Graph.Record(y, "Atan2Backward0", [a, b], [a, b], (g, s, n) =>
                {
                    var scale = g / (s[0] * s[0] + s[1] * s[1]);
                    return [n[0] ? ToA(scale * s[1]) : null, n[1] ? ToB(-(scale * s[0])) : null];
                });
                break;
            case BinaryOp.Hypot:
                Graph.Record(y, "HypotBackward0", [a, b], [a, b, y], (g, s, n) =>
                    [n[0] ? ToA(g * s[0] / s[2]) : null, n[1] ? ToB(g * s[1] / s[2]) : null]);
                break;
            case BinaryOp.Xlogy:
                // d/dx = log(y), taken as 0 where x == 0 and y <= 0; d/dy = x / y
                string xlogyName = a.IsWrappedNumber ? "XlogyBackward1" : b.IsWrappedNumber ? "XlogyBackward2" : "XlogyBackward0";
                Graph.Record(y, xlogyName, [a, b], [a, b], (g, s, n) =>
                [
                    n[0] ? ToA(Torch.Where((s[0] == 0) & (s[1] <= 0), 0.0, g.Xlogy(s[1]))) : null,
                    n[1] ? ToB(g * s[0] / s[1]) : null,
                ]);
                break;
            case BinaryOp.Copysign:
                // d/da = copysign(a, b) / a, 0 where a == 0; the sign source gets a zero gradient
                Graph.Record(y, b.IsWrappedNumber ? "CopysignBackward1" : "CopysignBackward0", [a, b], [a, y], (g, s, n) =>
                {
                    var ratio = s[1] / s[0];
                    return [n[0] ? ToA(g * Torch.Where(s[0] == 0, 0.0, ratio)) : null, n[1] ? ToB(Torch.ZerosLike(g)) : null];
                });
                break;
            case BinaryOp.Fmax:
            case BinaryOp.Fmin:
                // the gradient goes to a where a wins or b is NaN, else to b
                Graph.Record(y, op == BinaryOp.Fmax ? "FmaxBackward0" : "FminBackward0", [a, b], [a, b], (g, s, n) =>
                {
                    var aWins = (op == BinaryOp.Fmax ? s[0] >= s[1] : s[0] <= s[1]) | s[1].IsNan();
                    return [n[0] ? ToA(Torch.Where(aWins, g, 0.0)) : null, n[1] ? ToB(Torch.Where(aWins, 0.0, g)) : null];
                });
                break;
            case BinaryOp.Logaddexp:
                Graph.Record(y, "LogaddexpBackward0", [a, b], [a, b], (g, s, n) =>
                    [n[0] ? ToA(g / ((s[1] - s[0]).Exp() + 1)) : null, n[1] ? ToB(g / ((s[0] - s[1]).Exp() + 1)) : null]);
                break;
            case BinaryOp.Logaddexp2:
                Graph.Record(y, "Logaddexp2Backward0", [a, b], [a, b], (g, s, n) =>
                    [n[0] ? ToA(g / ((s[1] - s[0]).Exp2() + 1)) : null, n[1] ? ToB(g / ((s[0] - s[1]).Exp2() + 1)) : null]);
                break;
            default:
                throw new NotSupportedException($"{op} is not differentiable");
        }
    }
}
