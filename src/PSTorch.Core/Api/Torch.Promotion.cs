using PSTorch.Ops;

namespace PSTorch;

/// <summary>torch.promote_types, torch.result_type and torch.can_cast: the promotion rules every op uses, queried directly.</summary>
public static partial class Torch
{
    /// <summary>torch.promote_types: the smallest dtype both types convert to without losing their category.</summary>
    public static DType PromoteTypes(DType type1, DType type2) => DTypes.Promote(type1, type2);

    /// <summary>torch.result_type: the dtype an elementwise op of the two operands returns.</summary>
    public static DType ResultType(Tensor tensor, Tensor other) => Promotion.ResultType(tensor, other);
    public static DType ResultType(Tensor tensor, long other) => Promotion.ResultType(tensor, Tensor.Wrap(other));
    public static DType ResultType(Tensor tensor, double other) => Promotion.ResultType(tensor, Tensor.Wrap(other));
    public static DType ResultType(Tensor tensor, bool other) => Promotion.ResultType(tensor, Tensor.Wrap(other));

    /// <summary>torch.can_cast: whether an in-place op may write a result of <paramref name="from"/> into a tensor of <paramref name="to"/>.</summary>
    public static bool CanCast(DType from, DType to) => Promotion.CanCast(from, to);
}
