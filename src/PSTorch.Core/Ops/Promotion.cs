namespace PSTorch.Ops;

/// <summary>
/// torch.result_type: tensors with dimensions decide first, zero-dimensional tensors only when they are of a
/// higher category (bool &lt; integer &lt; float), and wrapped numbers (C#/PowerShell scalars) only raise the
/// category, to the default dtype of that category.
/// </summary>
internal static class Promotion
{
    static int Category(DType t) => t == DType.Bool ? 0 : t.IsFloatingPoint() ? 2 : 1;

    public static DType ResultType(params Tensor[] operands)
    {
        DType? dims = null, zeroDim = null, wrapped = null;
        foreach (var t in operands)
        {
            if (t.IsWrappedNumber) wrapped = wrapped is { } w ? DTypes.Promote(w, t.DType) : t.DType;
            else if (t.NDim == 0) zeroDim = zeroDim is { } z ? DTypes.Promote(z, t.DType) : t.DType;
            else dims = dims is { } d ? DTypes.Promote(d, t.DType) : t.DType;
        }
        DType? result = dims;
        if (zeroDim is { } zd) result = result is { } r && Category(zd) <= Category(r) ? r : result is { } r2 ? DTypes.Promote(r2, zd) : zd;
        if (wrapped is { } wd)
        {
            if (result is not { } r) return wd == DType.Float64 ? DTypes.DefaultFloat : wd;
            if (Category(wd) > Category(r)) return Category(wd) == 2 ? DTypes.DefaultFloat : DType.Int64;
        }
        return result!.Value;
    }

    /// <summary>PyTorch's can_cast: a value may not move to a lower category (float to integer, anything but bool to bool).</summary>
    public static bool CanCast(DType from, DType to) => Category(from) <= Category(to);

    /// <summary>The error of an in-place op whose result cannot be cast to the tensor's dtype.</summary>
    public static void CheckCanCast(DType from, DType to)
    {
        if (!CanCast(from, to))
            throw new InvalidOperationException($"result type {from.LegacyName()} can't be cast to the desired output type {to.LegacyName()}");
    }
}
