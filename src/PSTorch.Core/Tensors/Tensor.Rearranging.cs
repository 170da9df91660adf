using PSTorch.Autograd;
using PSTorch.Backends;
using PSTorch.Ops;

namespace PSTorch;

/// <summary>numpy-style names and forms of existing ops: tile, swapaxes/swapdims, moveaxis, take_along_dim, argwhere.</summary>
public partial class Tensor
{
    /// <summary>tile(reps): repeat with reps padded by leading 1s when it names fewer dimensions than the tensor has.</summary>
    public Tensor Tile(params long[] reps) =>
        Repeat(reps.Length >= NDim ? reps : [.. Enumerable.Repeat(1L, NDim - reps.Length), .. reps]);

    /// <summary>swapaxes(axis0, axis1): transpose.</summary>
    public Tensor Swapaxes(int axis0, int axis1) => Transpose(axis0, axis1);

    /// <summary>swapdims(dim0, dim1): transpose.</summary>
    public Tensor Swapdims(int dim0, int dim1) => Transpose(dim0, dim1);

    /// <summary>moveaxis(source, destination): movedim.</summary>
    public Tensor Moveaxis(int source, int destination) => Movedim(source, destination);

    /// <summary>
    /// take_along_dim(indices, dim): the values at indices along dim, input and indices broadcast against each
    /// other everywhere but at dim; without a dim, the flattened input at the flattened indices.
    /// </summary>
    public Tensor TakeAlongDim(Tensor indices, int? dim = null)
    {
        if (indices.DType != DType.Int64)
            throw new ArgumentException($"torch.take_along_dim(): dtype of indices should be Long but got {indices.DType.LegacyName()}");
        if (dim is null) return Reshape(-1).Gather(0, indices.Reshape(-1));
        if (indices.NDim != NDim)
            throw new ArgumentException($"torch.take_along_dim(): input and indices should have the same number of dimensions, but got {NDim} dimensions for input, and {indices.NDim} dimensions for indices");
        int d = Shapes.WrapDim(dim.Value, NDim);
        var selfSizes = Shape;
        selfSizes[d] = indices.ShapeRef[d];
        var broadcast = Shapes.Broadcast(selfSizes, indices.Shape);
        var indexShape = (long[])broadcast.Clone();
        broadcast[d] = ShapeRef[d];
        return Expand(broadcast).Gather(d, indices.Expand(indexShape));
    }

    /// <summary>nonzero(): the coordinates of the nonzero elements, one row each, in row-major order (int64 [count, ndim]).</summary>
    public Tensor Nonzero()
    {
        var mask = DType == DType.Bool ? Contiguous() : Ne(0);
        return Backend.For(mask).Nonzero(mask);
    }

    /// <summary>argwhere(): the same as <see cref="Nonzero"/>.</summary>
    public Tensor Argwhere() => Nonzero();

    /// <summary>heaviside(values): 0 where negative, 1 where positive, values where zero; not differentiable.</summary>
    public Tensor Heaviside(Tensor values)
    {
        if (values.DType != DType)
            throw new InvalidOperationException("heaviside is not yet implemented for tensors with different dtypes");
        using (GradMode.Set(false)) return Torch.Where(Eq(0), values, Gt(0).To(DType));
    }

    public Tensor Heaviside_(Tensor values) => CompositeInPlace.Assign(this, t => t.Heaviside(values), values);

    /// <summary>
    /// renorm(p, dim, maxnorm): every slice along dim whose p-norm exceeds maxnorm scaled down to norm maxnorm
    /// (by maxnorm / (norm + 1e-7), as PyTorch does).
    /// </summary>
    public Tensor Renorm(double p, int dim, double maxnorm)
    {
        if (!(p > 0)) throw new ArgumentException("renorm: non-positive-norm not supported");
        if (!(maxnorm >= 0)) throw new ArgumentException($"renorm: expected maxnorm to be >= 0 but got {maxnorm}");
        if (NDim <= 1) throw new ArgumentException($"renorm: input needs at least 2 dimensions, got {NDim} dimensions");
        int d = Shapes.WrapDim(dim, NDim);
        var norm = Norm(p, [.. Enumerable.Range(0, NDim).Where(i => i != d)], keepDim: true);
        return this * Torch.Where(norm.Gt(maxnorm), maxnorm / (norm + 1e-7), Torch.OnesLike(norm));
    }

    public Tensor Renorm_(double p, int dim, double maxnorm) => CompositeInPlace.Assign(this, t => t.Renorm(p, dim, maxnorm));

    /// <summary>index_fill(dim, index, value): the slices at index along dim set to value.</summary>
    public Tensor IndexFill(int dim, Tensor index, double value) => Ops.Indexing.IndexFill(this, dim, index, value, inPlace: false);

    public Tensor IndexFill_(int dim, Tensor index, double value) => Ops.Indexing.IndexFill(this, dim, index, value, inPlace: true);

    /// <summary>index_copy(dim, index, source): slice index[i] along dim replaced by source's slice i.</summary>
    public Tensor IndexCopy(int dim, Tensor index, Tensor source) => Ops.Indexing.IndexCopy(this, dim, index, source, inPlace: false);

    public Tensor IndexCopy_(int dim, Tensor index, Tensor source) => Ops.Indexing.IndexCopy(this, dim, index, source, inPlace: true);

    /// <summary>scatter_reduce(dim, index, src, reduce, includeSelf) for reduce "sum" and "mean".</summary>
    public Tensor ScatterReduce(int dim, Tensor index, Tensor src, string reduce, bool includeSelf = true) =>
        Ops.Indexing.ScatterReduce(this, dim, index, src, reduce, includeSelf);

    public Tensor ScatterReduce_(int dim, Tensor index, Tensor src, string reduce, bool includeSelf = true) =>
        CompositeInPlace.Assign(this, t => t.ScatterReduce(dim, index, src, reduce, includeSelf), src);
}
