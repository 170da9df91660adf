using PSTorch.Autograd;

namespace PSTorch;

/// <summary>Ops that return views: same storage, new shape/strides/offset. Writing through a view changes the base.</summary>
public partial class Tensor
{
    /// <summary>The tensor this one is a view of (torch's ._base); null if it owns its view of the storage.</summary>
    public Tensor? ViewBase { get; private set; }

    /// <summary>Creates a view and, under autograd, records <paramref name="name"/> with <paramref name="backward"/> mapping the view's gradient to this tensor's.</summary>
    Tensor MakeView(long[] newShape, long[] newStrides, long newOffset, string name, Func<Tensor, Tensor> backward)
    {
        var v = AsStridedView(newShape, newStrides, newOffset);
        v.ViewBase = ViewBase ?? this;
        if (Graph.ShouldRecord(this)) Graph.Record(v, name, [this], [], (g, _, _) => [backward(g)]);
        return v;
    }

    /// <summary>A view with another shape; requires strides compatible with the shape (PyTorch's view rules).</summary>
    public Tensor View(params long[] newShape)
    {
        var target = Shapes.InferSize(newShape, Numel());
        var st = ViewStrides(target) ?? throw new InvalidOperationException(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        var original = shape;
        return MakeView(target, st, StorageOffset, "ViewBackward0", g => g.Reshape(original));
    }

    /// <summary>Strides for viewing this tensor as <paramref name="target"/> without copying, or null (torch's computeStride).</summary>
    long[]? ViewStrides(long[] target)
    {
        long numel = Numel();
        var result = new long[target.Length];
        // a 0-d tensor's one element views as any all-ones shape
        if (numel == 0 || shape.Length == 0) return Shapes.ContiguousStrides(target);
        int viewD = target.Length - 1;
        long chunkBase = strides.Length > 0 ? strides[^1] : 1;
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || target[viewD] == 1))
                {
                    result[viewD] = viewNumel * chunkBase;
                    viewNumel *= target[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0)
                {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return result;
    }

    /// <summary>A view when the strides allow it, otherwise a copy.</summary>
    public Tensor Reshape(params long[] newShape)
    {
        var target = Shapes.InferSize(newShape, Numel());
        if (ViewStrides(target) != null) return View(target);
        var original = shape;
        var copy = Contiguous();
        var v = copy.AsStridedView(target, Shapes.ContiguousStrides(target), copy.StorageOffset);
        if (Graph.ShouldRecord(copy)) Graph.Record(v, "UnsafeViewBackward0", [copy], [], (g, _, _) => [g.Reshape(copy.ShapeRef)]);
        return v;
    }

    public Tensor ViewAs(Tensor other) => View(other.shape);
    public Tensor ReshapeAs(Tensor other) => Reshape(other.shape);

    /// <summary>Flattens dimensions startDim..endDim into one (a view when possible, otherwise a copy).</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (NDim == 0) return Reshape(1);
        int s = Shapes.WrapDim(startDim, NDim), e = Shapes.WrapDim(endDim, NDim);
        if (s > e) throw new ArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (s == e) return this;
        var target = new List<long>();
        for (int i = 0; i < s; i++) target.Add(shape[i]);
        long m = 1;
        for (int i = s; i <= e; i++) m *= shape[i];
        target.Add(m);
        for (int i = e + 1; i < NDim; i++) target.Add(shape[i]);
        return Reshape(target.ToArray());
    }

    public Tensor Unflatten(int dim, params long[] sizes)
    {
        int d = Shapes.WrapDim(dim, NDim);
        var target = shape.Take(d).Concat(Shapes.InferSize(sizes, shape[d])).Concat(shape.Skip(d + 1)).ToArray();
        return View(target);
    }

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int a = Shapes.WrapDim(dim0, NDim), b = Shapes.WrapDim(dim1, NDim);
        var sh = (long[])shape.Clone(); var st = (long[])strides.Clone();
        (sh[a], sh[b]) = (sh[b], sh[a]);
        (st[a], st[b]) = (st[b], st[a]);
        return MakeView(sh, st, StorageOffset, "TransposeBackward0", g => g.Transpose(a, b));
    }

    /// <summary>t(): transposes a tensor of at most 2 dimensions.</summary>
    public Tensor T()
    {
        if (NDim > 2) throw new ArgumentException($"t() expects a tensor with <= 2 dimensions, but self is {NDim}D");
        if (NDim < 2) return MakeView(shape, strides, StorageOffset, "TBackward0", g => g);
        return MakeView([shape[1], shape[0]], [strides[1], strides[0]], StorageOffset, "TBackward0", g => g.T());
    }

    /// <summary>The transpose as a property-like method (PyTorch's .mT is for the last two dims).</summary>
    public Tensor MT => Transpose(-2, -1);

    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != NDim)
            throw new ArgumentException($"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {NDim} is not equal to len(dims) = {dims.Length}");
        var wrapped = dims.Select(d => Shapes.WrapDim(d, NDim)).ToArray();
        if (wrapped.Distinct().Count() != wrapped.Length) throw new ArgumentException("permute(): duplicate dims are not allowed.");
        var sh = wrapped.Select(d => shape[d]).ToArray();
        var st = wrapped.Select(d => strides[d]).ToArray();
        var inverse = new int[NDim];
        for (int i = 0; i < NDim; i++) inverse[wrapped[i]] = i;
        return MakeView(sh, st, StorageOffset, "PermuteBackward0", g => g.Permute(inverse));
    }

    /// <summary>Moves dimension <paramref name="source"/> to position <paramref name="destination"/>, keeping the others in order (a permute).</summary>
    public Tensor Movedim(int source, int destination)
    {
        int s = Shapes.WrapDim(source, NDim), d = Shapes.WrapDim(destination, NDim);
        var order = Enumerable.Range(0, NDim).Where(i => i != s).ToList();
        order.Insert(d, s);
        return Permute(order.ToArray());
    }

    /// <summary>Broadcasts size-1 dimensions to larger sizes without copying (-1 keeps a size).</summary>
    public Tensor Expand(params long[] sizes)
    {
        if (sizes.Length < NDim)
            throw new ArgumentException($"expand({TypeName()}{{{Shapes.Format(shape)}}}, size={Shapes.Format(sizes)}): the number of sizes provided ({sizes.Length}) must be greater or equal to the number of dimensions in the tensor ({NDim})");
        var target = (long[])sizes.Clone();
        int off = sizes.Length - NDim;
        for (int i = 0; i < target.Length; i++)
            if (target[i] == -1)
            {
                if (i < off) throw new ArgumentException($"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}");
                target[i] = shape[i - off];
            }
        var st = Shapes.BroadcastStrides(shape, strides, target);
        var original = shape;
        return MakeView(target, st, StorageOffset, "ExpandBackward0", g => g.SumToSize(original));
    }

    public Tensor ExpandAs(Tensor other) => Expand(other.shape);

    /// <summary>An expanded view without autograd, for kernels that read broadcast inputs.</summary>
    internal Tensor BroadcastView(long[] target) =>
        shape.AsSpan().SequenceEqual(target) ? this : AsStridedView(target, Shapes.BroadcastStrides(shape, strides, target), StorageOffset);

    /// <summary>Elements start..start+length-1 along dim.</summary>
    public Tensor Narrow(int dim, long start, long length)
    {
        if (NDim == 0) throw new ArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        if (length < 0) throw new ArgumentException("narrow(): length must be non-negative.");
        int d = Shapes.WrapDim(dim, NDim);
        long size = shape[d];
        if (start < -size || start > size)
            throw new IndexOutOfRangeException($"start out of range (expected to be in range of [{-size}, {size}], but got {start})");
        if (start < 0) start += size;
        if (start + length > size)
            throw new ArgumentException($"start ({start}) + length ({length}) exceeds dimension size ({size}).");
        return Slice(d, start, start + length, 1);
    }

    /// <summary>Python's x[start:end:step] along dim (indices already clamped to the dimension).</summary>
    internal Tensor Slice(int d, long start, long end, long step)
    {
        if (step <= 0) throw new ArgumentException("slice step must be positive");
        long len = Math.Max(0, (end - start + step - 1) / step);
        var sh = (long[])shape.Clone(); var st = (long[])strides.Clone();
        sh[d] = len;
        st[d] = strides[d] * step;
        var original = shape;
        var dtype = DType;
        return MakeView(sh, st, StorageOffset + start * strides[d], "SliceBackward0", g =>
        {
            var full = Torch.Zeros(original, g.DType, g.Device);
            using (GradMode.Set(false)) full.Slice(d, start, end, step).CopyFrom(g);
            return full;
        });
    }

    /// <summary>The sub-tensor at index along dim (that dimension is removed). Negative indices count from the end.</summary>
    public Tensor Select(int dim, long index)
    {
        if (NDim == 0) throw new IndexOutOfRangeException("select() cannot be applied to a 0-dim tensor.");
        int d = Shapes.WrapDim(dim, NDim);
        long size = shape[d];
        if (index < -size || index >= size)
            throw new IndexOutOfRangeException($"index {index} is out of bounds for dimension {d} with size {size}");
        if (index < 0) index += size;
        var sh = shape.Where((_, i) => i != d).ToArray();
        var st = strides.Where((_, i) => i != d).ToArray();
        var original = shape;
        long at = index;
        return MakeView(sh, st, StorageOffset + index * strides[d], "SelectBackward0", g =>
        {
            var full = Torch.Zeros(original, g.DType, g.Device);
            using (GradMode.Set(false)) full.Select(d, at).CopyFrom(g);
            return full;
        });
    }

    /// <summary>Removes all dimensions of size 1.</summary>
    public Tensor Squeeze()
    {
        var keep = Enumerable.Range(0, NDim).Where(i => shape[i] != 1).ToArray();
        var original = shape;
        return MakeView(keep.Select(i => shape[i]).ToArray(), keep.Select(i => strides[i]).ToArray(), StorageOffset, "SqueezeBackward0", g => g.Reshape(original));
    }

    /// <summary>Removes dimension dim if it has size 1.</summary>
    public Tensor Squeeze(int dim)
    {
        int d = Shapes.WrapDim(dim, NDim);
        if (NDim == 0 || shape[d] != 1) return MakeView(shape, strides, StorageOffset, "SqueezeBackward1", g => g);
        var original = shape;
        return MakeView(shape.Where((_, i) => i != d).ToArray(), strides.Where((_, i) => i != d).ToArray(), StorageOffset, "SqueezeBackward1", g => g.Reshape(original));
    }

    /// <summary>Inserts a dimension of size 1 at dim.</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = Shapes.WrapDim(dim, NDim, forInsert: true);
        var sh = shape.ToList(); var st = strides.ToList();
        long stride = d < NDim ? shape[d] * strides[d] : 1;
        sh.Insert(d, 1);
        st.Insert(d, stride);
        return MakeView(sh.ToArray(), st.ToArray(), StorageOffset, "UnsqueezeBackward0", g => g.Squeeze(d));
    }

    /// <summary>Splits into pieces of <paramref name="splitSize"/> along dim (the last may be smaller).</summary>
    public Tensor[] Split(long splitSize, int dim = 0)
    {
        int d = Shapes.WrapDim(dim, NDim);
        if (splitSize <= 0 && shape[d] > 0) throw new ArgumentException($"split_size can only be 0 if dimension size is 0, but got dimension size of {shape[d]}");
        var parts = new List<Tensor>();
        for (long s = 0; s < shape[d] || parts.Count == 0; s += splitSize)
            parts.Add(Narrow(d, s, Math.Min(splitSize, shape[d] - s)));
        return parts.ToArray();
    }

    /// <summary>Splits into pieces of the given sizes along dim.</summary>
    public Tensor[] Split(long[] sizes, int dim = 0)
    {
        int d = Shapes.WrapDim(dim, NDim);
        if (sizes.Sum() != shape[d])
            throw new ArgumentException($"split_with_sizes expects split_sizes to sum exactly to {shape[d]} (input tensor's size at dimension {d}), but got split_sizes={Shapes.Format(sizes)}");
        var parts = new Tensor[sizes.Length];
        long s = 0;
        for (int i = 0; i < sizes.Length; i++) { parts[i] = Narrow(d, s, sizes[i]); s += sizes[i]; }
        return parts;
    }

    /// <summary>Splits into <paramref name="chunks"/> nearly equal pieces along dim (PyTorch's chunk: ceil-sized pieces).</summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0) throw new ArgumentException("chunk expects `chunks` to be greater than 0");
        int d = Shapes.WrapDim(dim, NDim);
        long size = (shape[d] + chunks - 1) / chunks;
        return Split(Math.Max(size, 1), d);
    }

    /// <summary>Tensors along dim (torch.unbind).</summary>
    public Tensor[] Unbind(int dim = 0)
    {
        int d = Shapes.WrapDim(dim, NDim);
        var r = new Tensor[shape[d]];
        for (long i = 0; i < shape[d]; i++) r[i] = Select(d, i);
        return r;
    }
}
