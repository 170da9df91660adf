namespace PSTorch;

/// <summary>torch.cumsum, cumprod, cummax, cummin, logcumsumexp.</summary>
public static partial class Torch
{
    public static Tensor Cumsum(Tensor input, int dim, DType? dtype = null) => input.Cumsum(dim, dtype);
    public static Tensor Cumprod(Tensor input, int dim, DType? dtype = null) => input.Cumprod(dim, dtype);
    public static ValuesAndIndices Cummax(Tensor input, int dim) => input.Cummax(dim);
    public static ValuesAndIndices Cummin(Tensor input, int dim) => input.Cummin(dim);
    public static Tensor Logcumsumexp(Tensor input, int dim) => input.Logcumsumexp(dim);
}
