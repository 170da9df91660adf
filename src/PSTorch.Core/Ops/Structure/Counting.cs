using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>count_nonzero, masked_select, bincount and histc.</summary>
internal static class Counting
{
    public static Tensor CountNonzero(Tensor x, int[]? dims) => x.Ne(0).Sum(dims ?? [], dtype: DType.Int64);

    /// <summary>masked_select: the elements of x where the bool mask is true (both broadcast), as a 1-D tensor in row-major order.</summary>
    public static Tensor MaskedSelect(Tensor x, Tensor mask)
    {
        if (mask.DType != DType.Bool) throw new ArgumentException($"masked_select: expected BoolTensor for mask");
        Backends.Backend.CheckSameDevice(x, mask);
        var shape = Shapes.Broadcast(x.ShapeRef, mask.ShapeRef);
        var fullMask = mask.BroadcastView(shape);
        Tensor y;
        using (GradMode.Set(false)) y = shape.Length == 0 ? x.Reshape(1).Index(fullMask.Reshape(1)) : x.Expand(shape).Index(fullMask);
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            Graph.Record(y, "MaskedSelectBackward0", [x], [mask], (g, s, _) =>
            {
                var grad = Torch.Zeros(shape.Length == 0 ? [1] : shape, g.DType, g.Device);
                using (GradMode.Set(false)) grad.IndexPut_([s[0].BroadcastView(shape).Reshape(grad.ShapeRef)], g);
                return [grad.Reshape(shape).SumToSize(inShape)];
            });
        }
        return y;
    }

    /// <summary>bincount: counts (or summed weights) of each non-negative integer of a 1-D input; at least minlength bins.</summary>
    public static Tensor Bincount(Tensor x, Tensor? weights, long minlength)
    {
        if (minlength < 0) throw new ArgumentException("minlength should be >= 0");
        if (x.NDim != 1 || x.DType.IsFloatingPoint() || x.DType == DType.Bool)
            throw new ArgumentException("bincount only supports 1-d non-negative integral inputs.");
        if (weights != null && (weights.NDim != 1 || weights.Numel() != x.Numel()))
            throw new ArgumentException("weights should be 1-d and have the same length as input");
        using var _ = GradMode.Set(false);
        var index = x.To(DType.Int64);
        long bins = minlength;
        if (x.Numel() > 0)
        {
            if (index.Min().Item<long>() < 0) throw new ArgumentException("bincount only supports 1-d non-negative integral inputs.");
            bins = Math.Max(bins, index.Max().Item<long>() + 1);
        }
        // PyTorch counts in int64, float32 weights in float32 and every other weight dtype in float64
        var dtype = weights == null ? DType.Int64 : weights.DType == DType.Float32 ? DType.Float32 : DType.Float64;
        var counts = Torch.Zeros([bins], dtype, x.Device);
        if (x.Numel() == 0) return counts;
        var values = weights == null ? Torch.Ones([x.Numel()], dtype, x.Device) : weights.To(dtype);
        return counts.ScatterAdd(0, index, values);
    }

    /// <summary>histc: counts of x in bins equal-width bins over [min, max] (the data's range when both are equal); outside values are ignored.</summary>
    public static Tensor Histc(Tensor x, long bins, double min, double max)
    {
        if (!x.DType.IsFloatingPoint()) throw new NotSupportedException($"\"histogram_cpu\" not implemented for '{x.DType.LegacyName()}'");
        if (bins <= 0) throw new ArgumentException($"torch.histc: bins must be > 0, but got {bins} for bins");
        using var _ = GradMode.Set(false);
        if (min == max && x.Numel() > 0)
        {
            min = x.Min().Item<double>();
            max = x.Max().Item<double>();
        }
        if (min == max) { min -= 1; max += 1; }
        if (min > max) throw new ArgumentException("torch.histc: max must be larger than min");
        if (double.IsInfinity(min) || double.IsInfinity(max) || double.IsNaN(min) || double.IsNaN(max))
            throw new ArgumentException($"torch.histc: range of [{min}, {max}] is not finite");
        var hist = Torch.Zeros([bins], x.DType, x.Device);
        if (x.Numel() == 0) return hist;
        var flat = x.Flatten();
        var inRange = flat.Ge(min) & flat.Le(max);
        // non-negative positions truncate to their bin; x == max belongs to the last bin
        var bin = ((flat - min) * bins / (max - min)).To(DType.Int64).Clamp(0L, bins - 1);
        return hist.ScatterAdd(0, Torch.Where(inRange, bin, Torch.Zeros([], DType.Int64, x.Device)), inRange.To(x.DType));
    }
}
