using PSTorch.Autograd;
using PSTorch.Backends;
using PSTorch.Ops;

namespace PSTorch;

/// <summary>
/// Python-style indexing: <c>t[0, 1..3, TensorIndex.Ellipsis]</c>, <c>t["::2"]</c>, <c>t.Index(0, "1:3")</c>.
/// Integers, slices, ... and None give views sharing storage; index tensors and bool masks (advanced indexing) give copies.
/// </summary>
public partial class Tensor
{
    /// <summary>x[indices] (a view unless an index is a tensor); setting writes the value (broadcast) into the indexed elements.</summary>
    // Named "At" because Item() is torch's item(); PowerShell finds indexers through DefaultMemberAttribute, not the name.
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[params TensorIndex[] indices]
    {
        get => GetIndexed(TensorIndex.Flatten(indices));
        set => PutIndexed(TensorIndex.Flatten(indices), value);
    }

    // Fixed-arity overloads: PowerShell's $t[0, '1:3'] calls an indexer with as many parameters as it was given
    // indices; with only the params form it would index once per value and return a list of results instead.
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[TensorIndex i0, TensorIndex i1]
    {
        get => this[[i0, i1]];
        set => this[[i0, i1]] = value;
    }

    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[TensorIndex i0, TensorIndex i1, TensorIndex i2]
    {
        get => this[[i0, i1, i2]];
        set => this[[i0, i1, i2]] = value;
    }

    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[TensorIndex i0, TensorIndex i1, TensorIndex i2, TensorIndex i3]
    {
        get => this[[i0, i1, i2, i3]];
        set => this[[i0, i1, i2, i3]] = value;
    }

    /// <summary>
    /// The indexer for PowerShell and mixed arguments: integers, slice strings ("1:3", "::2", "...", "None"),
    /// Ranges, tensors, and null for None. <c>$t.Index(0, '1:3')</c>.
    /// </summary>
    public Tensor Index(params object?[]? indices) => GetIndexed(ToIndices(indices));

    /// <summary>index_put_ / __setitem__: writes <paramref name="value"/> (broadcast) into the indexed elements, in place.</summary>
    public Tensor IndexPut_(object?[]? indices, Tensor value)
    {
        PutIndexed(ToIndices(indices), value);
        return this;
    }

    public Tensor IndexPut_(object?[]? indices, double value) => IndexPut_(indices, Torch.Scalar(value, DType.Float64));

    /// <summary>A number used as a tensor (e.g. as the value of <c>t[0] = 5</c>): a wrapped scalar, promoted like one.</summary>
    public static implicit operator Tensor(double value) => Wrap(value);
    public static implicit operator Tensor(long value) => Wrap(value);
    // PowerShell's literals are Int32 and it looks for a conversion from exactly that type ($t[1] = 100).
    public static implicit operator Tensor(int value) => Wrap((long)value);

    static List<TensorIndex> ToIndices(object?[]? indices) =>
        TensorIndex.Flatten(indices == null ? [TensorIndex.None] : indices.Select(TensorIndex.From));

    Tensor GetIndexed(List<TensorIndex> indices)
    {
        var (view, advanced) = ApplyBasicIndices(indices);
        return advanced.Count == 0 ? view : GatherAdvanced(view, advanced);
    }

    void PutIndexed(List<TensorIndex> indices, Tensor value)
    {
        // a number (a CPU scalar) may be written into a tensor of another device, as in PyTorch
        if (value.Device != Device) value = Backend.Colocate(this, value).Item2;
        Backend.CheckSameDevice(this, value);
        // As PyTorch's setitem, leading size-1 dims of the value are dropped: t[1] = tensor([9.]) fills a 0-d slot.
        while (value.NDim > 0 && value.Size(0) == 1) value = value.Squeeze(0);
        if (InPlace.MustRecord(this, value))
        {
            // Computed out of place and written back, so the result takes over a grad_fn with both inputs (PyTorch's CopySlices).
            Tensor result;
            using (GradMode.Set(false))
            {
                result = Detach().Clone();
                result.WriteIndexed(indices, value);
            }
            bool advanced = indices.Any(i => i.Kind == TensorIndexKind.Tensor);
            var valueShape = value.ShapeRef;
            var valueType = value.DType;
            Graph.Record(result, advanced ? "IndexPutBackward0" : "CopySlices", [this, value], [], (g, _, n) =>
            {
                Tensor? gradSelf = null;
                if (n[0])
                {
                    using (GradMode.Set(false))
                    {
                        gradSelf = g.Detach().Clone();
                        gradSelf.WriteIndexed(indices, Torch.Full([], 0, g.DType, g.Device));
                    }
                }
                return [gradSelf, n[1] ? g.GetIndexed(indices).SumToSize(valueShape).To(valueType) : null];
            });
            InPlace.Rebase(this, result);
            return;
        }
        using (GradMode.Set(false)) WriteIndexed(indices, value);
        BumpVersion();
    }

    /// <summary>Writes value into the indexed elements without autograd or version bump.</summary>
    void WriteIndexed(List<TensorIndex> indices, Tensor value)
    {
        var (view, advanced) = ApplyBasicIndices(indices);
        if (advanced.Count == 0) view.CopyFrom(value);
        else ScatterAdvanced(view, advanced, value);
    }

    /// <summary>
    /// Applies integers, slices, ... and None as views; returns the view and the tensor indices (as int64 indices
    /// into the view's dimensions; a k-dimensional bool mask becomes k of them).
    /// </summary>
    (Tensor view, List<(int dim, Tensor index)> advanced) ApplyBasicIndices(List<TensorIndex> indices)
    {
        int consumed = 0, ellipses = 0;
        foreach (var i in indices)
        {
            if (i.Kind is TensorIndexKind.Select or TensorIndexKind.Slice) consumed++;
            else if (i.Kind == TensorIndexKind.Tensor) consumed += IsMask(i.Tensor!) ? Math.Max(i.Tensor!.NDim, 1) : 1;
            else if (i.Kind == TensorIndexKind.Ellipsis) ellipses++;
        }
        if (ellipses > 1) throw new IndexOutOfRangeException("an index can only have a single ellipsis ('...')");
        if (consumed > NDim)
        {
            if (NDim == 0) throw new IndexOutOfRangeException("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
            throw new IndexOutOfRangeException($"too many indices for tensor of dimension {NDim}");
        }

        var view = this;
        var advanced = new List<(int, Tensor)>();
        int at = 0, original = 0;
        foreach (var i in indices)
        {
            switch (i.Kind)
            {
                case TensorIndexKind.Select:
                    long size = view.shape[at];
                    if (i.Index < -size || i.Index >= size)
                        throw new IndexOutOfRangeException($"index {i.Index} is out of bounds for dimension {original} with size {size}");
                    view = view.Select(at, i.Index);
                    original++;
                    break;
                case TensorIndexKind.Slice:
                    var (start, stop) = i.Resolve(view.shape[at]);
                    view = view.Slice(at, start, stop, i.Step);
                    at++; original++;
                    break;
                case TensorIndexKind.None:
                    view = view.Unsqueeze(at);
                    at++;
                    break;
                case TensorIndexKind.Ellipsis:
                    at += NDim - consumed;
                    original += NDim - consumed;
                    break;
                case TensorIndexKind.Tensor:
                    var t = i.Tensor!;
                    Backend.CheckSameDevice(this, t);
                    if (!IsMask(t))
                    {
                        advanced.Add((at, t));
                        at++; original++;
                        break;
                    }
                    if (t.NDim == 0) throw new NotSupportedException("Indexing with a zero-dimensional bool tensor is not supported.");
                    for (int k = 0; k < t.NDim; k++)
                        if (t.shape[k] != view.shape[at + k])
                            throw new IndexOutOfRangeException($"The shape of the mask {Shapes.Format(t.shape)} at index {k} does not match the shape of the indexed tensor {Shapes.Format(view.shape)} at index {at + k}");
                    var mask = t.DType == DType.Bool ? t.Contiguous() : t.To(DType.Bool);
                    var coordinates = Backend.For(mask).Nonzero(mask);
                    for (int k = 0; k < t.NDim; k++) advanced.Add((at + k, coordinates.Select(1, k)));
                    at += t.NDim; original += t.NDim;
                    break;
            }
        }
        return (view, advanced);
    }

    static bool IsMask(Tensor index) => index.DType is DType.Bool or DType.UInt8;

    /// <summary>
    /// How tensor indices address a tensor: the indexed dims are moved to the front and flattened, so each result element
    /// of the broadcast index shape is one row number (<see cref="Linear"/>) into [Total, rest...].
    /// </summary>
    sealed class AdvancedPlan
    {
        public required int[] Order;        // permutation of the source: indexed dims first, then the rest
        public required long[] IndexedSizes;
        public required long[] Rest;
        public required long[] IndexShape;  // broadcast shape of the index tensors
        public required Tensor Linear;      // int64 [numel(IndexShape)] row numbers into the flattened indexed dims
        public required int InsertAt;       // where the index dims sit in the result: PyTorch keeps them in place when adjacent

        public long Total => Shapes.Numel(IndexedSizes);
        public long[] RowsShape => [Linear.Numel(), .. Rest];
        public long[] FrontShape => [.. IndexShape, .. Rest];

        /// <summary>The permutation from [IndexShape, Rest] to the result's dimension order.</summary>
        public int[] ToResult()
        {
            int nb = IndexShape.Length;
            var p = new List<int>();
            for (int i = 0; i < InsertAt; i++) p.Add(nb + i);
            for (int i = 0; i < nb; i++) p.Add(i);
            for (int i = InsertAt; i < Rest.Length; i++) p.Add(nb + i);
            return p.ToArray();
        }

        public long[] ResultShape => ToResult().Select(i => FrontShape[i]).ToArray();
    }

    static AdvancedPlan Plan(Tensor src, List<(int dim, Tensor index)> advanced)
    {
        var dims = advanced.Select(a => a.dim).ToArray();
        long[] indexShape = advanced[0].index.ShapeRef;
        foreach (var (_, index) in advanced.Skip(1))
        {
            try { indexShape = Shapes.Broadcast(indexShape, index.ShapeRef); }
            catch (ArgumentException)
            {
                throw new IndexOutOfRangeException("shape mismatch: indexing tensors could not be broadcast together with shapes " +
                    string.Join(", ", advanced.Select(a => Shapes.Format(a.index.ShapeRef))));
            }
        }
        Tensor? linear = null;
        long stride = 1;
        using (GradMode.Set(false))
        {
            for (int k = advanced.Count - 1; k >= 0; k--)
            {
                long size = src.shape[dims[k]];
                var index = advanced[k].index.To(DType.Int64, copy: true);
                Backend.For(index).WrapIndex(index, size, dims[k]);
                var term = stride == 1 ? index.BroadcastView(indexShape) : index * stride;
                linear = linear == null ? term : linear + term;
                stride *= size;
            }
        }
        var rest = Enumerable.Range(0, src.NDim).Where(d => Array.IndexOf(dims, d) < 0).ToArray();
        bool adjacent = dims.Zip(dims.Skip(1), (a, b) => b == a + 1).All(x => x);
        return new AdvancedPlan
        {
            Order = dims.Concat(rest).ToArray(),
            IndexedSizes = dims.Select(d => src.shape[d]).ToArray(),
            Rest = rest.Select(d => src.shape[d]).ToArray(),
            IndexShape = indexShape,
            Linear = linear!.Reshape(-1).Contiguous(),
            InsertAt = adjacent ? dims[0] : 0,
        };
    }

    static int[] Inverse(int[] permutation)
    {
        var inverse = new int[permutation.Length];
        for (int i = 0; i < permutation.Length; i++) inverse[permutation[i]] = i;
        return inverse;
    }

    /// <summary>src[index tensors]: a copy; its gradient adds back into the indexed positions (IndexBackward0).</summary>
    static Tensor GatherAdvanced(Tensor src, List<(int dim, Tensor index)> advanced)
    {
        var plan = Plan(src, advanced);
        Tensor result;
        using (GradMode.Set(false))
        {
            var rows = src.Permute(plan.Order).Reshape([plan.Total, .. plan.Rest]).Contiguous();
            result = rows.IndexSelect(0, plan.Linear).View(plan.FrontShape).Permute(plan.ToResult()).Contiguous();
        }
        if (Graph.ShouldRecord(src))
        {
            var srcShape = src.shape;
            Graph.Record(result, "IndexBackward0", [src], [], (g, _, _) =>
            {
                var front = g.Permute(Inverse(plan.ToResult())).Contiguous().View(plan.RowsShape);
                var sum = Torch.Zeros([plan.Total, .. plan.Rest], g.DType, g.Device);
                sum.IndexAdd_(0, plan.Linear, front);
                return [sum.View([.. plan.IndexedSizes, .. plan.Rest]).Permute(Inverse(plan.Order))];
            });
        }
        return result;
    }

    /// <summary>dst[index tensors] = value (broadcast to the indexing result's shape), written into dst's memory.</summary>
    static void ScatterAdvanced(Tensor dst, List<(int dim, Tensor index)> advanced, Tensor value)
    {
        var plan = Plan(dst, advanced);
        var resultShape = plan.ResultShape;
        Tensor spread;
        try { spread = value.To(dst.DType).BroadcastView(resultShape); }
        catch (ArgumentException)
        {
            throw new ArgumentException($"shape mismatch: value tensor of shape {Shapes.Format(value.ShapeRef)} cannot be broadcast to indexing result of shape {Shapes.Format(resultShape)}");
        }
        var rowsOfValue = spread.Permute(Inverse(plan.ToResult())).Contiguous().View(plan.RowsShape);
        var permuted = dst.Permute(plan.Order);
        var rows = permuted.Contiguous();
        Backend.For(dst).Scatter(rows.View([plan.Total, .. plan.Rest]), 0, Ops.Indexing.AlongDim(plan.Linear, plan.RowsShape, 0), rowsOfValue, accumulate: false);
        // Contiguous() copied when dst's layout cannot be addressed as rows: write the rows back.
        if (!ReferenceEquals(rows, permuted)) permuted.CopyFrom(rows);
    }
}
