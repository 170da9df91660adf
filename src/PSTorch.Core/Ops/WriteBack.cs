using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>The in-place form of an op computed out of place: under autograd the result takes over the target's history.</summary>
internal static class WriteBack
{
    public static Tensor Apply(Tensor target, Func<Tensor, Tensor> op)
    {
        if (InPlace.MustRecord(target)) return InPlace.Rebase(target, op(InPlace.Snapshot(target)));
        Tensor result;
        using (GradMode.Set(false)) result = op(target);
        target.CopyFrom(result);
        target.BumpVersion();
        return target;
    }
}
