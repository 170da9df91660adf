namespace PSTorch.Ops;

/// <summary>Splitting and joining helpers: tensor_split, hstack/vstack/dstack/column_stack, meshgrid, cartesian_prod.</summary>
internal static class Stacking
{
    /// <summary>tensor_split into <paramref name="sections"/> pieces: the first size % sections get one element more.</summary>
    public static Tensor[] TensorSplit(Tensor x, long sections, int dim)
    {
        if (x.NDim == 0) throw new ArgumentException("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims");
        if (sections <= 0) throw new ArgumentException($"number of sections must be larger than 0, got {sections}");
        int d = Shapes.WrapDim(dim, x.NDim);
        long size = x.ShapeRef[d], small = size / sections, larger = size % sections;
        var parts = new Tensor[sections];
        long start = 0;
        for (long i = 0; i < sections; i++)
        {
            long length = small + (i < larger ? 1 : 0);
            parts[i] = x.Slice(d, start, start + length, 1);
            start += length;
        }
        return parts;
    }

    /// <summary>tensor_split at <paramref name="indices"/>: pieces x[prev:index] along dim with Python's slice clamping.</summary>
    public static Tensor[] TensorSplit(Tensor x, long[] indices, int dim)
    {
        if (x.NDim == 0) throw new ArgumentException("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims");
        int d = Shapes.WrapDim(dim, x.NDim);
        long size = x.ShapeRef[d];
        long Clamp(long i) => Math.Clamp(i < 0 ? i + size : i, 0, size);
        Tensor Piece(long start, long end) => x.Slice(d, Clamp(start), Math.Max(Clamp(start), Clamp(end)), 1);
        var parts = new Tensor[indices.Length + 1];
        long previous = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            parts[i] = Piece(previous, indices[i]);
            previous = indices[i];
        }
        parts[^1] = Piece(previous, size);
        return parts;
    }

    static Tensor AtLeast1d(Tensor t) => t.NDim == 0 ? t.Reshape(1) : t;
    static Tensor AtLeast2d(Tensor t) => t.NDim switch { 0 => t.Reshape(1, 1), 1 => t.Unsqueeze(0), _ => t };
    static Tensor AtLeast3d(Tensor t) => t.NDim switch { 0 => t.Reshape(1, 1, 1), 1 => t.Unsqueeze(0).Unsqueeze(2), 2 => t.Unsqueeze(2), _ => t };

    static void CheckNonEmpty(Tensor[] tensors, string name)
    {
        if (tensors.Length == 0) throw new ArgumentException($"{name} expects a non-empty TensorList");
    }

    public static Tensor Hstack(Tensor[] tensors)
    {
        CheckNonEmpty(tensors, "hstack");
        var r = tensors.Select(AtLeast1d).ToArray();
        return Torch.Cat(r, r[0].NDim == 1 ? 0 : 1);
    }

    public static Tensor Vstack(Tensor[] tensors)
    {
        CheckNonEmpty(tensors, "vstack");
        return Torch.Cat(tensors.Select(AtLeast2d).ToArray(), 0);
    }

    public static Tensor Dstack(Tensor[] tensors)
    {
        CheckNonEmpty(tensors, "dstack");
        return Torch.Cat(tensors.Select(AtLeast3d).ToArray(), 2);
    }

    /// <summary>column_stack: scalars and vectors become columns [n, 1]; the rest join along dim 1.</summary>
    public static Tensor ColumnStack(Tensor[] tensors)
    {
        CheckNonEmpty(tensors, "column_stack");
        return Torch.Cat(tensors.Select(t => t.NDim <= 1 ? t.Reshape(t.Numel(), 1) : t).ToArray(), 1);
    }

    /// <summary>meshgrid: views of the inputs expanded to the grid of all their sizes ("xy" swaps the first two grid dims).</summary>
    public static Tensor[] Meshgrid(Tensor[] tensors, string indexing)
    {
        if (tensors.Length == 0) throw new ArgumentException("torch.meshgrid expects a non-empty TensorList");
        if (indexing is not ("ij" or "xy"))
            throw new ArgumentException($"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}");
        for (int i = 0; i < tensors.Length; i++)
            if (tensors[i].NDim > 1)
                throw new ArgumentException($"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {tensors[i].NDim}D");
        Backends.Backend.CheckSameDevice(tensors);
        var sizes = tensors.Select(t => t.Numel()).ToArray();
        bool swap = indexing == "xy" && tensors.Length >= 2;
        var grid = (long[])sizes.Clone();
        if (swap) (grid[0], grid[1]) = (grid[1], grid[0]);
        var result = new Tensor[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            int at = swap && i < 2 ? 1 - i : i;
            var viewShape = Enumerable.Repeat(1L, tensors.Length).ToArray();
            viewShape[at] = sizes[i];
            result[i] = tensors[i].Reshape(viewShape).Expand(grid);
        }
        return result;
    }

    /// <summary>cartesian_prod: the rows of all combinations of the inputs' elements, the last varying fastest.</summary>
    public static Tensor CartesianProd(Tensor[] tensors)
    {
        if (tensors.Length == 0) throw new ArgumentException("cartesian_prod expects a non-empty TensorList");
        foreach (var t in tensors)
            if (t.NDim != 1) throw new ArgumentException($"Expect a 1D vector, but got shape {Shapes.Format(t.ShapeRef)}");
        if (tensors.Length == 1) return tensors[0];
        return Torch.Stack(Meshgrid(tensors, "ij").Select(g => g.Flatten()).ToArray(), 1);
    }

    /// <summary>diff: n-th forward difference along dim after joining prepend and append (bool: logical xor).</summary>
    public static Tensor Diff(Tensor x, long n, int dim, Tensor? prepend, Tensor? append)
    {
        if (x.NDim == 0) throw new ArgumentException("diff expects input to be at least one-dimensional");
        if (n < 0) throw new ArgumentException($"order must be non-negative but got {n}");
        int d = Shapes.WrapDim(dim, x.NDim);
        var parts = new List<Tensor>();
        if (prepend != null) parts.Add(prepend);
        parts.Add(x);
        if (append != null) parts.Add(append);
        var y = parts.Count == 1 ? x : Torch.Cat(parts.ToArray(), d);
        for (long k = 0; k < n && y.ShapeRef[d] > 0; k++)
        {
            long len = y.ShapeRef[d] - 1;
            var (later, earlier) = (y.Narrow(d, 1, len), y.Narrow(d, 0, len));
            y = y.DType == DType.Bool ? later.Ne(earlier) : later - earlier;
        }
        return y;
    }
}
