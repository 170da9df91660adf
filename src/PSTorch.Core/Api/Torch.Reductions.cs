namespace PSTorch;

/// <summary>torch.sum, torch.mean, ... and torch.softmax: the static forms of the tensor reduction methods.</summary>
public static partial class Torch
{
    public static Tensor Sum(Tensor input, DType? dtype = null) => input.Sum(dtype);
    public static Tensor Sum(Tensor input, int dim, bool keepDim = false, DType? dtype = null) => input.Sum(dim, keepDim, dtype);
    public static Tensor Sum(Tensor input, int[] dims, bool keepDim = false, DType? dtype = null) => input.Sum(dims, keepDim, dtype);
    public static Tensor Mean(Tensor input, DType? dtype = null) => input.Mean(dtype);
    public static Tensor Mean(Tensor input, int dim, bool keepDim = false, DType? dtype = null) => input.Mean(dim, keepDim, dtype);
    public static Tensor Mean(Tensor input, int[] dims, bool keepDim = false, DType? dtype = null) => input.Mean(dims, keepDim, dtype);
    public static Tensor Prod(Tensor input, DType? dtype = null) => input.Prod(dtype);
    public static Tensor Prod(Tensor input, int dim, bool keepDim = false, DType? dtype = null) => input.Prod(dim, keepDim, dtype);
    public static Tensor Max(Tensor input) => input.Max();
    public static ValuesAndIndices Max(Tensor input, int dim, bool keepDim = false) => input.Max(dim, keepDim);
    public static Tensor Max(Tensor input, Tensor other) => input.Max(other);
    public static Tensor Min(Tensor input) => input.Min();
    public static ValuesAndIndices Min(Tensor input, int dim, bool keepDim = false) => input.Min(dim, keepDim);
    public static Tensor Min(Tensor input, Tensor other) => input.Min(other);
    public static Tensor Amax(Tensor input, int[]? dims = null, bool keepDim = false) => input.Amax(dims, keepDim);
    public static Tensor Amax(Tensor input, int dim, bool keepDim = false) => input.Amax(dim, keepDim);
    public static Tensor Amin(Tensor input, int[]? dims = null, bool keepDim = false) => input.Amin(dims, keepDim);
    public static Tensor Amin(Tensor input, int dim, bool keepDim = false) => input.Amin(dim, keepDim);
    public static Tensor Argmax(Tensor input, int? dim = null, bool keepDim = false) => input.Argmax(dim, keepDim);
    public static Tensor Argmin(Tensor input, int? dim = null, bool keepDim = false) => input.Argmin(dim, keepDim);
    public static Tensor Var(Tensor input, int[]? dims = null, double correction = 1, bool keepDim = false) => input.Var(dims, correction, keepDim);
    public static Tensor Var(Tensor input, int dim, double correction = 1, bool keepDim = false) => input.Var(dim, correction, keepDim);
    public static Tensor Std(Tensor input, int[]? dims = null, double correction = 1, bool keepDim = false) => input.Std(dims, correction, keepDim);
    public static Tensor Std(Tensor input, int dim, double correction = 1, bool keepDim = false) => input.Std(dim, correction, keepDim);
    public static Tensor Norm(Tensor input, double p = 2, int[]? dims = null, bool keepDim = false) => input.Norm(p, dims, keepDim);
    public static Tensor Norm(Tensor input, double p, int dim, bool keepDim = false) => input.Norm(p, dim, keepDim);
    public static Tensor Norm(Tensor input, string p, int[]? dims = null, bool keepDim = false) => input.Norm(p, dims, keepDim);
    public static Tensor All(Tensor input) => input.All();
    public static Tensor All(Tensor input, int dim, bool keepDim = false) => input.All(dim, keepDim);
    public static Tensor Any(Tensor input) => input.Any();
    public static Tensor Any(Tensor input, int dim, bool keepDim = false) => input.Any(dim, keepDim);
    public static Tensor Softmax(Tensor input, int dim, DType? dtype = null) => input.Softmax(dim, dtype);
    public static Tensor LogSoftmax(Tensor input, int dim, DType? dtype = null) => input.LogSoftmax(dim, dtype);
}
