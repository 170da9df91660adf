namespace PSTorch.Ops;

/// <summary>
/// In-place forms of ops composed of other ops (lerp_, addcmul_, logit_, round_(decimals), ...): the out-of-place
/// result written back into the target, which must keep its shape and be able to hold the result's dtype.
/// </summary>
internal static class CompositeInPlace
{
    /// <summary>target = compute(target); <paramref name="others"/> are the other tensor operands, for the autograd checks.</summary>
    public static Tensor Assign(Tensor target, Func<Tensor, Tensor> compute, params Tensor?[] others)
    {
        var other = others.FirstOrDefault(o => o is { RequiresGrad: true });
        bool record = InPlace.MustRecord(target, other);
        var result = compute(record ? InPlace.Snapshot(target) : target);
        if (!result.ShapeRef.AsSpan().SequenceEqual(target.ShapeRef))
            throw new ArgumentException($"output with shape {Shapes.Format(target.ShapeRef)} doesn't match the broadcast shape {Shapes.Format(result.ShapeRef)}");
        Promotion.CheckCanCast(result.DType, target.DType);
        if (record) return InPlace.Rebase(target, result);
        target.CopyFrom(result);
        result.Dispose();
        target.BumpVersion();
        return target;
    }
}
