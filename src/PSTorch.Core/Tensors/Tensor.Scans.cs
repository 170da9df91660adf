using PSTorch.Ops;

namespace PSTorch;

/// <summary>Cumulative ops along a dim: cumsum, cumprod, cummax, cummin, logcumsumexp.</summary>
public partial class Tensor
{
    /// <summary>Running sums along dim; integer and bool tensors sum in int64 unless a dtype is given.</summary>
    public Tensor Cumsum(int dim, DType? dtype = null) => Scans.Accumulate(this, dim, dtype, product: false);

    public Tensor Cumsum_(int dim, DType? dtype = null) => Scans.AccumulateInPlace(this, dim, dtype, product: false);

    /// <summary>Running products along dim; its gradient stays exact when the input holds zeros.</summary>
    public Tensor Cumprod(int dim, DType? dtype = null) => Scans.Accumulate(this, dim, dtype, product: true);

    public Tensor Cumprod_(int dim, DType? dtype = null) => Scans.AccumulateInPlace(this, dim, dtype, product: true);

    /// <summary>The running maximum along dim and the index it was found at (the last one on ties; NaN propagates).</summary>
    public ValuesAndIndices Cummax(int dim) => Scans.Extreme(this, dim, max: true);

    public ValuesAndIndices Cummin(int dim) => Scans.Extreme(this, dim, max: false);

    /// <summary>log(cumsum(exp(x))) along dim, computed without overflow.</summary>
    public Tensor Logcumsumexp(int dim) => Scans.LogCumSumExp(this, dim);
}
