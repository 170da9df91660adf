using PSTorch.Ops;

namespace PSTorch;

/// <summary>torch's structural functions: flip/roll/rot90, triangles and diagonals, products, einsum, stacking, counts.</summary>
public static partial class Torch
{
    public static Tensor Flip(Tensor input, params int[] dims) => input.Flip(dims);
    public static Tensor Fliplr(Tensor input) => input.Fliplr();
    public static Tensor Flipud(Tensor input) => input.Flipud();
    public static Tensor Roll(Tensor input, long[] shifts, int[] dims) => input.Roll(shifts, dims);
    public static Tensor Roll(Tensor input, long shifts, int dim) => input.Roll(shifts, dim);
    public static Tensor Roll(Tensor input, long shifts) => input.Roll(shifts);
    public static Tensor Rot90(Tensor input, long k = 1, int[]? dims = null) => input.Rot90(k, dims);
    public static Tensor Tril(Tensor input, long diagonal = 0) => input.Tril(diagonal);
    public static Tensor Triu(Tensor input, long diagonal = 0) => input.Triu(diagonal);
    public static Tensor Diag(Tensor input, long diagonal = 0) => input.Diag(diagonal);
    public static Tensor Diagonal(Tensor input, long offset = 0, int dim1 = 0, int dim2 = 1) => input.Diagonal(offset, dim1, dim2);
    public static Tensor DiagEmbed(Tensor input, long offset = 0, int dim1 = -2, int dim2 = -1) => input.DiagEmbed(offset, dim1, dim2);
    public static Tensor Trace(Tensor input) => input.Trace();
    public static Tensor Outer(Tensor input, Tensor vec2) => input.Outer(vec2);
    public static Tensor Ger(Tensor input, Tensor vec2) => input.Outer(vec2);
    public static Tensor Dot(Tensor input, Tensor other) => input.Dot(other);
    public static Tensor Mv(Tensor input, Tensor vec) => input.Mv(vec);
    public static Tensor Kron(Tensor input, Tensor other) => input.Kron(other);
    public static Tensor Cross(Tensor input, Tensor other, int? dim = null) => input.Cross(other, dim);

    /// <summary>torch.einsum over the common equations: "ij,jk->ik", "bij,bjk->bik", "ii->", "ii->i", "i,j->ij", "...ij->...ji".</summary>
    public static Tensor Einsum(string equation, params Tensor[] operands) => Ops.Einsum.Apply(equation, operands);

    public static Tensor Tensordot(Tensor a, Tensor b, int dims = 2) => Products.Tensordot(a, b, dims);
    public static Tensor Tensordot(Tensor a, Tensor b, int[] dimsA, int[] dimsB) => Products.Tensordot(a, b, dimsA, dimsB);

    /// <summary>torch.meshgrid with indexing "ij" (matrix) or "xy" (Cartesian: the first two grid dims swapped).</summary>
    public static Tensor[] Meshgrid(Tensor[] tensors, string indexing = "ij") => Stacking.Meshgrid(tensors, indexing);
    public static Tensor CartesianProd(params Tensor[] tensors) => Stacking.CartesianProd(tensors);
    public static Tensor[] TensorSplit(Tensor input, long sections, int dim = 0) => input.TensorSplit(sections, dim);
    public static Tensor[] TensorSplit(Tensor input, long[] indices, int dim = 0) => input.TensorSplit(indices, dim);
    public static Tensor Hstack(params Tensor[] tensors) => Stacking.Hstack(tensors);
    public static Tensor Vstack(params Tensor[] tensors) => Stacking.Vstack(tensors);
    public static Tensor RowStack(params Tensor[] tensors) => Stacking.Vstack(tensors);
    public static Tensor Dstack(params Tensor[] tensors) => Stacking.Dstack(tensors);
    public static Tensor ColumnStack(params Tensor[] tensors) => Stacking.ColumnStack(tensors);
    public static Tensor Diff(Tensor input, long n = 1, int dim = -1, Tensor? prepend = null, Tensor? append = null) => input.Diff(n, dim, prepend, append);
    public static Tensor CountNonzero(Tensor input, params int[] dims) => input.CountNonzero(dims);
    public static Tensor MaskedSelect(Tensor input, Tensor mask) => input.MaskedSelect(mask);
    public static Tensor Bincount(Tensor input, Tensor? weights = null, long minlength = 0) => input.Bincount(weights, minlength);
    public static Tensor Histc(Tensor input, long bins = 100, double min = 0, double max = 0) => input.Histc(bins, min, max);
}
