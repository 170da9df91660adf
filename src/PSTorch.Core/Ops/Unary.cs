using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>Elementwise functions of one tensor: result dtype, kernel call and gradient, in one place.</summary>
internal static class Unary
{
    /// <summary>PyTorch's op names (exp, log, ...), by <see cref="UnaryOp"/>, for the autocast lists.</summary>
    static readonly string[] AtenNames = Enum.GetNames<UnaryOp>().Select(n => n.ToLowerInvariant()).ToArray();

    public static DType ResultType(UnaryOp op, DType input)
    {
        if (op == UnaryOp.Neg && input == DType.Bool)
            throw new InvalidOperationException("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        return op == UnaryOp.LogicalNot ? DType.Bool :
            op.IsFloatOnly() && !input.IsFloatingPoint() ? DTypes.DefaultFloat : input;
    }

    public static Tensor Apply(UnaryOp op, Tensor x)
    {
        if (Amp.AutocastMode.AnyEnabled) x = Amp.Autocast.Cast(AtenNames[(int)op], x);
        UnaryMath.CheckDType(op, x);
        var dtype = ResultType(op, x.DType);
        var src = x.DType == dtype || op == UnaryOp.LogicalNot ? x : x.To(dtype);
        if (op == UnaryOp.LogicalNot && src.DType != DType.Bool) src = src.To(DType.Bool);
        var y = Tensor.Empty(x.ShapeRef, dtype, x.Device);
        if (UnaryMath.IsCopy(op, dtype)) Backend.For(x).Copy(y, src);
        else Backend.For(x).Unary(op, y, src);
        if (Graph.ShouldRecord(x) && dtype.IsFloatingPoint()) RecordGradient(op, x, y);
        return y;
    }

    /// <summary>x = op(x). Under autograd the result is computed out of place and written back.</summary>
    public static Tensor ApplyInPlace(UnaryOp op, Tensor x)
    {
        UnaryMath.CheckDType(op, x);
        var dtype = ResultType(op, x.DType);
        Promotion.CheckCanCast(dtype, x.DType);
        if (InPlace.MustRecord(x)) return InPlace.Rebase(x, Apply(op, InPlace.Snapshot(x)));
        var src = x.DType == dtype ? x : x.To(dtype);
        if (dtype == x.DType) { if (!UnaryMath.IsCopy(op, dtype)) Backend.For(x).Unary(op, x, src); }
        else x.CopyFrom(Apply(op, src));
        x.BumpVersion();
        return x;
    }

    static void RecordGradient(UnaryOp op, Tensor x, Tensor y)
    {
        string name = op switch
        {
            UnaryOp.Neg => "NegBackward0", UnaryOp.Abs => "AbsBackward0", UnaryOp.Relu => "ReluBackward0",
            UnaryOp.Sign => "SignBackward0", UnaryOp.Exp => "ExpBackward0", UnaryOp.Log => "LogBackward0",
            UnaryOp.Sqrt => "SqrtBackward0", UnaryOp.Rsqrt => "RsqrtBackward0", UnaryOp.Sin => "SinBackward0",
            UnaryOp.Cos => "CosBackward0", UnaryOp.Tanh => "TanhBackward0", UnaryOp.Sigmoid => "SigmoidBackward0",
            UnaryOp.Reciprocal => "ReciprocalBackward0", _ => UnaryMath.GradFnName(op),
        };
        // Formulas that only need the output save y; the others save x.
        bool savesOutput = op is UnaryOp.Relu or UnaryOp.Exp or UnaryOp.Sqrt or UnaryOp.Rsqrt or UnaryOp.Tanh or UnaryOp.Sigmoid or UnaryOp.Reciprocal
            || UnaryMath.SavesOutput(op);
        Graph.Record(y, name, [x], [savesOutput ? y : x], (g, s, _) => [Derivative(op, g, s[0])]);
    }

    /// <summary>
    /// PyTorch's threshold_backward(g, y, 0): 0 where y &lt;= 0 (whatever g), g elsewhere (a NaN output passes g). One
    /// kernel pass for float tensors of y's layout; otherwise through a mask released at once.
    /// </summary>
    static Tensor ReluBackward(Tensor g, Tensor y)
    {
        if (!GradMode.IsEnabled && g.DType == y.DType && (g.DType is DType.Float32 or DType.Float64) && g.Device == y.Device &&
            g.IsContiguous() && y.IsContiguous() && g.ShapeRef.AsSpan().SequenceEqual(y.ShapeRef))
        {
            var gx = Tensor.Empty(y.ShapeRef, y.DType, y.Device);
            Backend.For(y).ReluBackward(gx, g, y);
            return gx;
        }
        using var clipped = y <= 0;
        return g.MaskedFill(clipped, 0);
    }

    /// <summary>d op / d x times the incoming gradient; <paramref name="saved"/> is y or x as chosen in <see cref="RecordGradient"/>.</summary>
    static Tensor Derivative(UnaryOp op, Tensor g, Tensor saved) => op switch
    {
        UnaryOp.Neg => -g,
        UnaryOp.Abs => g * saved.Sign(),
        UnaryOp.Relu => ReluBackward(g, saved),
        UnaryOp.Sign => Torch.ZerosLike(g),
        UnaryOp.Exp => g * saved,
        UnaryOp.Log => g / saved,
        UnaryOp.Sqrt => g / (saved * 2),
        UnaryOp.Rsqrt => g * saved.Pow(3) * -0.5,
        UnaryOp.Sin => g * saved.Cos(),
        UnaryOp.Cos => -(g * saved.Sin()),
        UnaryOp.Tanh => g * (1 - saved * saved),
        UnaryOp.Sigmoid => g * saved * (1 - saved),
        UnaryOp.Reciprocal => -(g * saved * saved),
        _ => UnaryMath.Derivative(op, g, saved),
    };
}
