using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// clamp(x, min, max) = minimum(maximum(x, min), max), with scalar bounds (wrapped numbers) or tensor bounds,
/// computed by the backend's maximum/minimum kernels; the gradient passes to x where min &lt;= x &lt;= max.
/// </summary>
internal static class Clamp
{
    /// <summary>The grad_fn PyTorch records for each form.</summary>
    public static string GradName(Tensor? min, Tensor? max)
    {
        bool tensors = min is { IsWrappedNumber: false } || max is { IsWrappedNumber: false };
        if (min != null && max != null) return tensors ? "ClampBackward0" : "ClampBackward1";
        if (min != null) return tensors ? "ClampMinBackward1" : "ClampMinBackward0";
        return tensors ? "ClampMaxBackward1" : "ClampMaxBackward0";
    }

    /// <summary>A wrapped-number bound joins x on x's device.</summary>
    static Tensor? OnDeviceOf(Tensor x, Tensor? bound) => bound == null || bound.Device == x.Device ? bound : Backend.Colocate(x, bound).Item2;

    static (long[] shape, DType dtype) Types(Tensor x, Tensor? min, Tensor? max)
    {
        if (min == null && max == null) throw new ArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        if (x.DType == DType.Bool) throw new NotSupportedException("\"clamp_cpu\" not implemented for 'Bool'");
        var shape = x.ShapeRef;
        if (min != null) { Backend.CheckSameDevice(x, min); shape = Shapes.Broadcast(shape, min.ShapeRef); }
        if (max != null) { Backend.CheckSameDevice(x, max); shape = Shapes.Broadcast(shape, max.ShapeRef); }
        var dtype = min != null && max != null ? Promotion.ResultType(x, min, max) : Promotion.ResultType(x, min ?? max!);
        return (shape, dtype);
    }

    static void Compute(Tensor y, Tensor x, Tensor? min, Tensor? max)
    {
        var shape = y.ShapeRef;
        var dtype = y.DType;
        var backend = Backend.For(y);
        Tensor View(Tensor t) => (t.DType == dtype ? t : t.To(dtype)).BroadcastView(shape);
        var source = View(x);
        if (min != null) { backend.Binary(BinaryOp.Maximum, y, source, View(min)); source = y; }
        if (max != null) backend.Binary(BinaryOp.Minimum, y, source, View(max));
    }

    public static Tensor Apply(Tensor x, Tensor? min, Tensor? max)
    {
        (min, max) = (OnDeviceOf(x, min), OnDeviceOf(x, max));
        var (shape, dtype) = Types(x, min, max);
        var y = Tensor.Empty(shape, dtype, x.Device);
        using (GradMode.Set(false)) Compute(y, x, min, max);
        if (dtype.IsFloatingPoint() && Graph.ShouldRecord([x, min ?? x, max ?? x])) RecordGradient(y, x, min, max);
        return y;
    }

    public static Tensor ApplyInPlace(Tensor x, Tensor? min, Tensor? max)
    {
        (min, max) = (OnDeviceOf(x, min), OnDeviceOf(x, max));
        var (shape, dtype) = Types(x, min, max);
        if (!shape.AsSpan().SequenceEqual(x.ShapeRef))
            throw new ArgumentException($"output with shape {Shapes.Format(x.ShapeRef)} doesn't match the broadcast shape {Shapes.Format(shape)}");
        Promotion.CheckCanCast(dtype, x.DType);
        if (InPlace.MustRecord(x, min?.RequiresGrad == true ? min : max))
            return InPlace.Rebase(x, Apply(InPlace.Snapshot(x), min, max));
        using (GradMode.Set(false))
        {
            if (dtype == x.DType) Compute(x, x, min, max);
            else x.CopyFrom(Apply(x, min, max));
        }
        x.BumpVersion();
        return x;
    }

    static void RecordGradient(Tensor y, Tensor x, Tensor? min, Tensor? max)
    {
        var sx = x.ShapeRef; var tx = x.DType;
        var inputs = new List<Tensor> { x };
        int minAt = -1, maxAt = -1;
        if (min != null) { minAt = inputs.Count; inputs.Add(min); }
        if (max != null) { maxAt = inputs.Count; inputs.Add(max); }
        var arr = inputs.ToArray();
        Graph.Record(y, GradName(min, max), arr, arr, (g, s, needs) =>
        {
            var self = s[0];
            Tensor? lo = minAt >= 0 ? s[minAt] : null, hi = maxAt >= 0 ? s[maxAt] : null;
            var zero = Torch.ZerosLike(g);
            var grads = new Tensor?[arr.Length];
            if (needs[0])
            {
                Tensor? inside = null;
                if (lo != null) inside = self >= lo;
                if (hi != null) inside = inside is { } i ? i & (self <= hi) : self <= hi;
                grads[0] = Torch.Where(inside!, g, zero).SumToSize(sx).To(tx);
            }
            // a bound gets the gradient where it is the value taken (PyTorch's clamp_backward_min_max)
            if (minAt >= 0 && needs[minAt])
            {
                var taken = self < lo!;
                if (hi != null) taken &= lo! < hi;
                grads[minAt] = Torch.Where(taken, g, zero).SumToSize(lo!.ShapeRef).To(lo!.DType);
            }
            if (maxAt >= 0 && needs[maxAt])
            {
                var taken = self > hi!;
                if (lo != null) taken |= hi! < lo;
                grads[maxAt] = Torch.Where(taken, g, zero).SumToSize(hi!.ShapeRef).To(hi!.DType);
            }
            return grads;
        });
    }
}
