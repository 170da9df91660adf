using PSTorch.Ops;

namespace PSTorch;

/// <summary>Reductions over all elements or over dims (dim/keepdim as in PyTorch).</summary>
public partial class Tensor
{
    /// <summary>Sum of all elements (integers sum to int64).</summary>
    public Tensor Sum(DType? dtype = null) => Reduction.Sum(this, null, false, dtype);

    public Tensor Sum(int dim, bool keepDim = false, DType? dtype = null) => Reduction.Sum(this, [dim], keepDim, dtype);

    public Tensor Sum(int[] dims, bool keepDim = false, DType? dtype = null) => Reduction.Sum(this, dims, keepDim, dtype);
}
