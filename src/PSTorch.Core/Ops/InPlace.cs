using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>
/// How in-place ops interact with autograd: under grad mode they compute out of place from a snapshot
/// of the old value and then write the result back, taking over its grad_fn (PyTorch's rebase_history).
/// </summary>
internal static class InPlace
{
    public static bool MustRecord(Tensor target, Tensor? other = null)
    {
        if (!GradMode.IsEnabled) return false;
        if (target.IsLeaf && target.RequiresGrad)
            throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
        bool record = target.RequiresGrad || (other?.RequiresGrad ?? false);
        if (record && target.ViewBase is { IsLeaf: true, RequiresGrad: true })
            throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        if (record && target.ViewBase is { } b && b.RequiresGrad)
            throw new NotSupportedException("An in-place operation on a view of a tensor that requires grad is not supported; use the out-of-place operation instead.");
        return record;
    }

    /// <summary>The old value, with the graph: the formulas of the in-place op read it after the target changed.</summary>
    public static Tensor Snapshot(Tensor target) => target.Clone();

    public static Tensor Rebase(Tensor target, Tensor result)
    {
        using (GradMode.Set(false)) target.CopyFrom(result);
        target.BumpVersion();
        target.SetGradFn(result.GradFn!, result.OutputNr);
        return target;
    }
}
