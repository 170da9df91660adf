using PSTorch.Ops;

namespace PSTorch;

/// <summary>Reductions over all elements or over dims (dim/keepdim as in PyTorch; negative dims count from the end).</summary>
public partial class Tensor
{
    /// <summary>Sum of all elements (integers sum to int64).</summary>
    public Tensor Sum(DType? dtype = null) => Reduction.Sum(this, null, false, dtype);

    public Tensor Sum(int dim, bool keepDim = false, DType? dtype = null) => Reduction.Sum(this, [dim], keepDim, dtype);

    public Tensor Sum(int[] dims, bool keepDim = false, DType? dtype = null) => Reduction.Sum(this, dims, keepDim, dtype);

    /// <summary>Mean of all elements; floating dtypes only (or give a floating <paramref name="dtype"/>).</summary>
    public Tensor Mean(DType? dtype = null) => Ops.Mean.Apply(this, null, false, dtype);

    public Tensor Mean(int dim, bool keepDim = false, DType? dtype = null) => Ops.Mean.Apply(this, [dim], keepDim, dtype);

    public Tensor Mean(int[] dims, bool keepDim = false, DType? dtype = null) => Ops.Mean.Apply(this, dims, keepDim, dtype);

    /// <summary>Product of all elements (integers multiply in int64).</summary>
    public Tensor Prod(DType? dtype = null) => Ops.Prod.Apply(this, null, false, dtype);

    public Tensor Prod(int dim, bool keepDim = false, DType? dtype = null) => Ops.Prod.Apply(this, dim, keepDim, dtype);

    /// <summary>The largest element (NaN if any element is NaN).</summary>
    public Tensor Max() => MinMax.All(this, max: true);

    /// <summary>The largest values along dim and their indices (first occurrence).</summary>
    public ValuesAndIndices Max(int dim, bool keepDim = false) => MinMax.AlongDim(this, dim, keepDim, max: true);

    /// <summary>max(other): the elementwise maximum, as torch.max(input, other).</summary>
    public Tensor Max(Tensor other) => Maximum(other);

    public Tensor Min() => MinMax.All(this, max: false);

    public ValuesAndIndices Min(int dim, bool keepDim = false) => MinMax.AlongDim(this, dim, keepDim, max: false);

    public Tensor Min(Tensor other) => Minimum(other);

    /// <summary>The largest values over dims (all dims when none are given), without indices.</summary>
    public Tensor Amax(int[]? dims = null, bool keepDim = false) => MinMax.AOver(this, dims, keepDim, max: true);

    public Tensor Amax(int dim, bool keepDim = false) => MinMax.AOver(this, [dim], keepDim, max: true);

    public Tensor Amin(int[]? dims = null, bool keepDim = false) => MinMax.AOver(this, dims, keepDim, max: false);

    public Tensor Amin(int dim, bool keepDim = false) => MinMax.AOver(this, [dim], keepDim, max: false);

    /// <summary>The int64 index of the largest element: of the flattened tensor, or along dim.</summary>
    public Tensor Argmax(int? dim = null, bool keepDim = false) => MinMax.Arg(this, dim, keepDim, max: true);

    public Tensor Argmin(int? dim = null, bool keepDim = false) => MinMax.Arg(this, dim, keepDim, max: false);

    /// <summary>Variance over dims (all when null), divided by N - correction (1: unbiased).</summary>
    public Tensor Var(int[]? dims = null, double correction = 1, bool keepDim = false) => Variance.Apply(this, dims, correction, keepDim, std: false);

    public Tensor Var(int dim, double correction = 1, bool keepDim = false) => Variance.Apply(this, [dim], correction, keepDim, std: false);

    public Tensor Var(bool unbiased) => Variance.Apply(this, null, unbiased ? 1 : 0, false, std: false);

    public Tensor Std(int[]? dims = null, double correction = 1, bool keepDim = false) => Variance.Apply(this, dims, correction, keepDim, std: true);

    public Tensor Std(int dim, double correction = 1, bool keepDim = false) => Variance.Apply(this, [dim], correction, keepDim, std: true);

    public Tensor Std(bool unbiased) => Variance.Apply(this, null, unbiased ? 1 : 0, false, std: true);

    /// <summary>The vector p-norm over dims (all when null): p = 2 by default; 1, 0, ±infinity or any other p.</summary>
    public Tensor Norm(double p = 2, int[]? dims = null, bool keepDim = false) => Ops.Norm.Apply(this, p, dims, keepDim);

    public Tensor Norm(double p, int dim, bool keepDim = false) => Ops.Norm.Apply(this, p, [dim], keepDim);

    /// <summary>norm("fro") (the 2-norm of the elements); "nuc" needs a matrix decomposition and is not supported.</summary>
    public Tensor Norm(string p, int[]? dims = null, bool keepDim = false)
    {
        if (p != "fro") throw new NotSupportedException($"norm(p='{p}') is not supported; use p='fro' or a number.");
        if (dims is { Length: > 2 }) throw new ArgumentException($"Expected at most 2 dimensions for the Frobenius norm, but got {dims.Length}");
        return Ops.Norm.Apply(this, 2, dims, keepDim);
    }

    /// <summary>True if every element is nonzero (bool result).</summary>
    public Tensor All() => Logical.Apply(this, null, false, all: true);

    public Tensor All(int dim, bool keepDim = false) => Logical.Apply(this, [dim], keepDim, all: true);

    /// <summary>True if any element is nonzero (bool result).</summary>
    public Tensor Any() => Logical.Apply(this, null, false, all: false);

    public Tensor Any(int dim, bool keepDim = false) => Logical.Apply(this, [dim], keepDim, all: false);

    /// <summary>exp(x) / sum(exp(x)) along dim, computed stably (the maximum is subtracted first).</summary>
    public Tensor Softmax(int dim, DType? dtype = null) => Ops.Softmax.Apply(this, dim, log: false, dtype);

    /// <summary>log(softmax(x)) along dim, computed as x - max - log(sum(exp(x - max))).</summary>
    public Tensor LogSoftmax(int dim, DType? dtype = null) => Ops.Softmax.Apply(this, dim, log: true, dtype);
}
