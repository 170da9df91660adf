using PSTorch.Autograd;

namespace PSTorch;

/// <summary>Joining tensors (cat, stack) and the static forms of splitting them (chunk, split, unbind).</summary>
public static partial class Torch
{
    /// <summary>torch.cat: joins tensors along an existing dimension; dtypes promote; legacy empty 1-D tensors are skipped.</summary>
    public static Tensor Cat(Tensor[] tensors, int dim = 0)
    {
        if (tensors.Length == 0) throw new ArgumentException("torch.cat(): expected a non-empty list of Tensors");
        for (int i = 0; i < tensors.Length; i++)
            if (tensors[i].NDim == 0) throw new ArgumentException($"zero-dimensional tensor (at position {i}) cannot be concatenated");
        Backends.Backend.CheckSameDevice(tensors);
        // PyTorch still accepts torch.tensor([]) (shape [0]) next to tensors of any rank.
        static bool Skipped(Tensor t) => t.NDim == 1 && t.ShapeRef[0] == 0;
        var reference = tensors.FirstOrDefault(t => !Skipped(t)) ?? tensors[0];
        int d = Shapes.WrapDim(dim, reference.NDim);
        var skipped = tensors.Select(t => Skipped(t) && !ReferenceEquals(t, reference)).ToArray();
        var shape = (long[])reference.ShapeRef.Clone();
        shape[d] = 0;
        for (int i = 0; i < tensors.Length; i++)
        {
            var t = tensors[i];
            if (skipped[i]) continue;
            if (t.NDim != reference.NDim)
                throw new ArgumentException($"Tensors must have same number of dimensions: got {reference.NDim} and {t.NDim}");
            for (int k = 0; k < shape.Length; k++)
                if (k != d && t.ShapeRef[k] != reference.ShapeRef[k])
                    throw new ArgumentException($"Sizes of tensors must match except in dimension {d}. Expected size {reference.ShapeRef[k]} but got size {t.ShapeRef[k]} for tensor number {i} in the list.");
            shape[d] += t.ShapeRef[d];
        }
        var dtype = Ops.Promotion.ResultType(tensors);
        var y = Tensor.Empty(shape, dtype, reference.Device);
        var offsets = new long[tensors.Length];
        long at = 0;
        using (GradMode.Set(false))
            for (int i = 0; i < tensors.Length; i++)
            {
                offsets[i] = at;
                if (skipped[i]) continue;
                long n = tensors[i].ShapeRef[d];
                y.Narrow(d, at, n).CopyFrom(tensors[i]);
                at += n;
            }
        if (Graph.ShouldRecord(tensors))
        {
            var shapes = tensors.Select(t => t.ShapeRef).ToArray();
            var dtypes = tensors.Select(t => t.DType).ToArray();
            Graph.Record(y, "CatBackward0", tensors, [], (g, _, needs) =>
            {
                var grads = new Tensor?[shapes.Length];
                for (int i = 0; i < shapes.Length; i++)
                {
                    if (!needs[i]) continue;
                    grads[i] = skipped[i] ? Zeros(shapes[i], dtypes[i], g.Device) : g.Narrow(d, offsets[i], shapes[i][d]).To(dtypes[i]);
                }
                return grads;
            });
        }
        return y;
    }

    public static Tensor Concat(Tensor[] tensors, int dim = 0) => Cat(tensors, dim);

    /// <summary>torch.stack: joins equally shaped tensors along a new dimension.</summary>
    public static Tensor Stack(Tensor[] tensors, int dim = 0)
    {
        if (tensors.Length == 0) throw new ArgumentException("stack expects a non-empty TensorList");
        var shape = tensors[0].ShapeRef;
        for (int i = 1; i < tensors.Length; i++)
            if (!tensors[i].ShapeRef.AsSpan().SequenceEqual(shape))
                throw new ArgumentException($"stack expects each tensor to be equal size, but got {Shapes.Format(shape)} at entry 0 and {Shapes.Format(tensors[i].ShapeRef)} at entry {i}");
        Backends.Backend.CheckSameDevice(tensors);
        int d = Shapes.WrapDim(dim, shape.Length, forInsert: true);
        var outShape = shape.ToList();
        outShape.Insert(d, tensors.Length);
        var y = Tensor.Empty(outShape.ToArray(), Ops.Promotion.ResultType(tensors), tensors[0].Device);
        using (GradMode.Set(false))
            for (int i = 0; i < tensors.Length; i++) y.Select(d, i).CopyFrom(tensors[i]);
        if (Graph.ShouldRecord(tensors))
        {
            var dtypes = tensors.Select(t => t.DType).ToArray();
            Graph.Record(y, "StackBackward0", tensors, [], (g, _, needs) =>
                Enumerable.Range(0, dtypes.Length).Select(i => needs[i] ? g.Select(d, i).To(dtypes[i]) : null).ToArray());
        }
        return y;
    }

    public static Tensor[] Chunk(Tensor input, int chunks, int dim = 0) => input.Chunk(chunks, dim);
    public static Tensor[] Split(Tensor input, long splitSize, int dim = 0) => input.Split(splitSize, dim);
    public static Tensor[] Split(Tensor input, long[] sizes, int dim = 0) => input.Split(sizes, dim);
    public static Tensor[] Unbind(Tensor input, int dim = 0) => input.Unbind(dim);
}
