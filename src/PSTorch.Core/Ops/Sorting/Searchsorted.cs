using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>searchsorted and bucketize: binary searches of values among sorted boundaries (no gradient; integer results).</summary>
internal static class Searchsorted
{
    public static Tensor Apply(Tensor sortedSequence, Tensor values, bool outInt32, bool right, string? side)
    {
        if (side != null && side != "left" && side != "right")
            throw new ArgumentException($"torch.searchsorted(): side can only be 'left' or 'right' but got {side}");
        if (side == "left" && right)
            throw new ArgumentException("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
        right |= side == "right";
        if (sortedSequence.Device != values.Device)
            throw new ArgumentException($"Expected all tensors to be on the same device, but found at least two devices, {sortedSequence.Device} and {values.Device}!");
        if (sortedSequence.NDim == 0)
            throw new ArgumentException("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension");
        bool shared = sortedSequence.NDim == 1;
        if (!shared && (sortedSequence.NDim != values.NDim || !sortedSequence.ShapeRef.AsSpan(0, values.NDim - 1).SequenceEqual(values.ShapeRef.AsSpan(0, values.NDim - 1))))
            throw new ArgumentException("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor " +
                $"and input value tensor must match, but we got boundaries tensor {Shapes.Format(sortedSequence.ShapeRef)} and input value tensor {Shapes.Format(values.ShapeRef)}");
        var result = Tensor.Empty(values.ShapeRef, outInt32 ? DType.Int32 : DType.Int64, values.Device);
        if (result.Numel() == 0) return result;
        var common = Promotion.ResultType(sortedSequence, values);
        var boundaries = sortedSequence.Detach().To(common).Contiguous();
        var searched = values.Detach().To(common).Contiguous();
        long count = boundaries.ShapeRef[^1];
        long perRow = values.NDim == 0 ? 1 : values.ShapeRef[^1];
        Backend.For(values).Searchsorted(result, boundaries, searched, values.Numel() / perRow, count, perRow, shared, right);
        return result;
    }

    public static Tensor Bucketize(Tensor input, Tensor boundaries, bool outInt32, bool right)
    {
        if (boundaries.NDim != 1) throw new ArgumentException($"boundaries tensor must be 1 dimension, but got dim({boundaries.NDim})");
        return Apply(boundaries, input, outInt32, right, side: null);
    }
}
