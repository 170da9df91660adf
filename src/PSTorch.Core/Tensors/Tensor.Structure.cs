using PSTorch.Autograd;
using PSTorch.Ops;

namespace PSTorch;

/// <summary>Structural ops: reorderings, triangles and diagonals, products, differences and counts.</summary>
public partial class Tensor
{
    /// <summary>Reverses the order of elements along each of dims (a copy, as in PyTorch).</summary>
    public Tensor Flip(params int[] dims) => FlipRoll.Flip(this, dims);

    /// <summary>Flips dim 1 (left/right) of a tensor of at least 2 dims.</summary>
    public Tensor Fliplr()
    {
        if (NDim < 2) throw new ArgumentException("Input must be >= 2-d.");
        return Flip(1);
    }

    /// <summary>Flips dim 0 (up/down) of a tensor of at least 1 dim.</summary>
    public Tensor Flipud()
    {
        if (NDim < 1) throw new ArgumentException("Input must be >= 1-d.");
        return Flip(0);
    }

    /// <summary>Shifts elements along dims by shifts, wrapping around.</summary>
    public Tensor Roll(long[] shifts, int[] dims) => FlipRoll.Roll(this, shifts, dims);

    public Tensor Roll(long shifts, int dim) => FlipRoll.Roll(this, [shifts], [dim]);

    /// <summary>Rolls the flattened tensor and restores its shape.</summary>
    public Tensor Roll(long shifts) => FlipRoll.Roll(this, [shifts], []);

    /// <summary>Rotates by k quarter turns in the plane of dims (from the first dim towards the second).</summary>
    public Tensor Rot90(long k = 1, int[]? dims = null) => FlipRoll.Rot90(this, k, dims ?? [0, 1]);

    /// <summary>The lower triangle of the last two dims (column - row &lt;= diagonal), zeros elsewhere.</summary>
    public Tensor Tril(long diagonal = 0) => Triangular.Apply(this, diagonal, lower: true);

    public Tensor Tril_(long diagonal = 0) => Triangular.ApplyInPlace(this, diagonal, lower: true);

    /// <summary>The upper triangle of the last two dims (column - row &gt;= diagonal), zeros elsewhere.</summary>
    public Tensor Triu(long diagonal = 0) => Triangular.Apply(this, diagonal, lower: false);

    public Tensor Triu_(long diagonal = 0) => Triangular.ApplyInPlace(this, diagonal, lower: false);

    /// <summary>
    /// A view of the diagonal with <paramref name="offset"/> of dims dim1 and dim2: those dims are removed and the
    /// diagonal is appended as the last dim. Writes through it change this tensor.
    /// </summary>
    public Tensor Diagonal(long offset = 0, int dim1 = 0, int dim2 = 1)
    {
        int d1 = Shapes.WrapDim(dim1, NDim), d2 = Shapes.WrapDim(dim2, NDim);
        if (d1 == d2) throw new ArgumentException($"diagonal dimensions cannot be identical {dim1}, {dim2}");
        long length = offset >= 0 ? Math.Min(shape[d1], shape[d2] - offset) : Math.Min(shape[d1] + offset, shape[d2]);
        length = Math.Max(length, 0);
        long start = StorageOffset;
        if (length > 0) start += offset >= 0 ? offset * strides[d2] : -offset * strides[d1];
        var keep = Enumerable.Range(0, NDim).Where(i => i != d1 && i != d2).ToArray();
        long[] sh = [.. keep.Select(i => shape[i]), length];
        long[] st = [.. keep.Select(i => strides[i]), strides[d1] + strides[d2]];
        var original = shape;
        return MakeView(sh, st, start, "DiagonalBackward0", g =>
        {
            var full = Torch.Zeros(original, g.DType, g.Device);
            using (GradMode.Set(false)) full.Diagonal(offset, d1, d2).CopyFrom(g);
            return full;
        });
    }

    /// <summary>A vector becomes the given diagonal of a square matrix; a matrix gives a copy of its diagonal.</summary>
    public Tensor Diag(long diagonal = 0) => Diagonals.Diag(this, diagonal);

    /// <summary>Places the last dim as the diagonal (offset) of new dims dim1, dim2 of a zero tensor.</summary>
    public Tensor DiagEmbed(long offset = 0, int dim1 = -2, int dim2 = -1) => Diagonals.Embed(this, offset, dim1, dim2);

    /// <summary>The sum of a matrix's main diagonal.</summary>
    public Tensor Trace() => Diagonals.Trace(this);

    public Tensor Outer(Tensor vec2) => Products.Outer(this, vec2);

    public Tensor Ger(Tensor vec2) => Products.Outer(this, vec2);

    public Tensor Dot(Tensor other) => Products.Dot(this, other);

    public Tensor Mv(Tensor vec) => Products.Mv(this, vec);

    public Tensor Kron(Tensor other) => Products.Kron(this, other);

    /// <summary>The cross product along dim (the first dim of size 3 when null, as torch.cross without dim).</summary>
    public Tensor Cross(Tensor other, int? dim = null) => Products.Cross(this, other, dim);

    public Tensor[] TensorSplit(long sections, int dim = 0) => Stacking.TensorSplit(this, sections, dim);

    public Tensor[] TensorSplit(long[] indices, int dim = 0) => Stacking.TensorSplit(this, indices, dim);

    /// <summary>The n-th forward difference along dim, after joining prepend and append along it.</summary>
    public Tensor Diff(long n = 1, int dim = -1, Tensor? prepend = null, Tensor? append = null) => Stacking.Diff(this, n, dim, prepend, append);

    /// <summary>The number of nonzero elements (over all dims, or the given ones), as int64.</summary>
    public Tensor CountNonzero(params int[] dims) => Counting.CountNonzero(this, dims);

    public Tensor CountNonzero(int dim) => Counting.CountNonzero(this, [dim]);

    /// <summary>The elements where the bool mask (broadcast with this tensor) is true, as a 1-D tensor.</summary>
    public Tensor MaskedSelect(Tensor mask) => Counting.MaskedSelect(this, mask);

    public Tensor Bincount(Tensor? weights = null, long minlength = 0) => Counting.Bincount(this, weights, minlength);

    public Tensor Histc(long bins = 100, double min = 0, double max = 0) => Counting.Histc(this, bins, min, max);
}
