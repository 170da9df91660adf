using PSTorch.Ops;

namespace PSTorch;

/// <summary>Gathering, scattering and masking along dims with index tensors (int64; int32 accepted).</summary>
public partial class Tensor
{
    /// <summary>out[p] = this[p with coordinate dim replaced by index[p]]; out has index's shape.</summary>
    public Tensor Gather(int dim, Tensor index) => Indexing.Gather(this, dim, index);

    /// <summary>A copy with src[p] written at position p with coordinate dim replaced by index[p].</summary>
    public Tensor Scatter(int dim, Tensor index, Tensor src) => Indexing.Scatter(this, dim, index, src);

    public Tensor Scatter(int dim, Tensor index, double value) => Indexing.Scatter(this, dim, index, value);

    public Tensor Scatter_(int dim, Tensor index, Tensor src) => Indexing.Scatter_(this, dim, index, src);

    public Tensor Scatter_(int dim, Tensor index, double value) => Indexing.Scatter_(this, dim, index, value);

    /// <summary>A copy with src[p] added at position p with coordinate dim replaced by index[p] (repeated targets accumulate).</summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src) => Indexing.ScatterAdd(this, dim, index, src);

    public Tensor ScatterAdd_(int dim, Tensor index, Tensor src) => Indexing.ScatterAdd_(this, dim, index, src);

    /// <summary>The slices along dim at the positions in the index vector.</summary>
    public Tensor IndexSelect(int dim, Tensor index) => Indexing.IndexSelect(this, dim, index);

    /// <summary>A copy with alpha * source's slice i added to slice index[i] along dim.</summary>
    public Tensor IndexAdd(int dim, Tensor index, Tensor source, double alpha = 1) => Indexing.IndexAdd(this, dim, index, source, alpha, inPlace: false);

    public Tensor IndexAdd_(int dim, Tensor index, Tensor source, double alpha = 1) => Indexing.IndexAdd(this, dim, index, source, alpha, inPlace: true);

    /// <summary>A copy with value where the bool mask (broadcast) is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value) => Ops.MaskedFill.Apply(this, mask, value);

    public Tensor MaskedFill_(Tensor mask, double value) => Ops.MaskedFill.ApplyInPlace(this, mask, value);
}
