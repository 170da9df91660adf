using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch;

/// <summary>torch.* for C# and PowerShell: <c>[PSTorch.Torch]::Zeros(3, 4)</c>.</summary>
public static partial class Torch
{
    /// <summary>The dtype floating-point tensors get when none is given (torch.get_default_dtype).</summary>
    public static DType GetDefaultDType() => DTypes.DefaultFloat;

    public static void SetDefaultDType(DType dtype)
    {
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"only floating-point types are supported as the default type, not {dtype.Name()}");
        DTypes.DefaultFloat = dtype;
    }

    /// <summary>Disables graph recording until the returned scope is disposed: <c>using (Torch.NoGrad()) { ... }</c>.</summary>
    public static GradModeScope NoGrad() => GradMode.Set(false);

    /// <summary>Enables graph recording until the returned scope is disposed.</summary>
    public static GradModeScope EnableGrad() => GradMode.Set(true);

    public static GradModeScope SetGradEnabled(bool enabled) => GradMode.Set(enabled);

    public static bool IsGradEnabled() => GradMode.IsEnabled;

    public static Tensor Empty(long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false) =>
        Tensor.Empty(shape, dtype ?? DTypes.DefaultFloat, OrDefault(device)).RequiresGrad_(requiresGrad);

    public static Tensor Empty(params long[] shape) => Empty(shape, null);

    public static Tensor Full(long[] shape, double value, DType? dtype = null, Device? device = null, bool requiresGrad = false)
    {
        var t = Tensor.Empty(shape, dtype ?? DTypes.DefaultFloat, OrDefault(device));
        Backend.For(t).Fill(t, value);
        return t.RequiresGrad_(requiresGrad);
    }

    public static Tensor Zeros(long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false) => Full(shape, 0, dtype, device, requiresGrad);
    public static Tensor Zeros(params long[] shape) => Zeros(shape, null);
    public static Tensor Ones(long[] shape, DType? dtype = null, Device? device = null, bool requiresGrad = false) => Full(shape, 1, dtype, device, requiresGrad);
    public static Tensor Ones(params long[] shape) => Ones(shape, null);

    public static Tensor EmptyLike(Tensor t, DType? dtype = null) => Tensor.Empty(t.ShapeRef, dtype ?? t.DType, t.Device);
    public static Tensor ZerosLike(Tensor t, DType? dtype = null, bool requiresGrad = false) => Full(t.ShapeRef, 0, dtype ?? t.DType, t.Device, requiresGrad);
    public static Tensor OnesLike(Tensor t, DType? dtype = null, bool requiresGrad = false) => Full(t.ShapeRef, 1, dtype ?? t.DType, t.Device, requiresGrad);
    public static Tensor FullLike(Tensor t, double value, DType? dtype = null, bool requiresGrad = false) => Full(t.ShapeRef, value, dtype ?? t.DType, t.Device, requiresGrad);

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (row-major).</summary>
    public static unsafe Tensor FromArray<T>(T[] data, long[]? shape = null, DType? dtype = null, bool requiresGrad = false) where T : unmanaged
    {
        var s = shape ?? [data.LongLength];
        if (Shapes.Numel(s) != data.LongLength)
            throw new ArgumentException($"shape {Shapes.Format(s)} does not hold {data.LongLength} elements");
        var natural = typeof(T) == typeof(bool) ? DType.Bool : DTypes.FromClrType(typeof(T));
        var t = Tensor.Empty(s, natural, Device.Cpu);
        fixed (T* p = data) Buffer.MemoryCopy(p, t.DataPointer, data.LongLength * sizeof(T), data.LongLength * sizeof(T));
        var r = dtype is { } d && d != natural ? t.To(d) : t;
        return r.RequiresGrad_(requiresGrad);
    }

    /// <summary>A zero-dimensional tensor.</summary>
    public static Tensor Scalar(double value, DType? dtype = null) => Full([], value, dtype ?? DTypes.DefaultFloat);

    /// <summary>torch.where(condition, a, b): elements of a where condition is true, else of b (broadcast). The condition is bool (or legacy uint8).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        if (condition.DType is not (DType.Bool or DType.UInt8))
            throw new ArgumentException($"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.DType.LegacyName()}");
        (a, b) = Backend.Colocate(a, b);
        (condition, a) = Backend.Colocate(condition, a);
        (condition, b) = Backend.Colocate(condition, b);
        Backend.CheckSameDevice(condition, a, b);
        var shape = Shapes.Broadcast(Shapes.Broadcast(condition.ShapeRef, a.ShapeRef), b.ShapeRef);
        var dtype = Ops.Promotion.ResultType(a, b);
        var y = Tensor.Empty(shape, dtype, a.Device);
        var cond = (condition.DType == DType.Bool ? condition : condition.To(DType.Bool)).BroadcastView(shape);
        Backend.For(y).Where(y, cond, a.To(dtype).BroadcastView(shape), b.To(dtype).BroadcastView(shape));
        if (Graph.ShouldRecord(a, b))
        {
            var sa = a.ShapeRef; var sb = b.ShapeRef;
            Graph.Record(y, "WhereBackward0", [a, b], [condition], (g, s, n) =>
            {
                var zero = ZerosLike(g);
                return [n[0] ? Where(s[0], g, zero).SumToSize(sa) : null, n[1] ? Where(s[0], zero, g).SumToSize(sb) : null];
            });
        }
        return y;
    }

    public static Tensor Where(Tensor condition, Tensor a, double b) => Where(condition, a, Tensor.Wrap(b));
    public static Tensor Where(Tensor condition, double a, Tensor b) => Where(condition, Tensor.Wrap(a), b);
}
