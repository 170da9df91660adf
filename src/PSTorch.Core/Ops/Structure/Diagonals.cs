using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>diag, diag_embed and trace, built on the diagonal view.</summary>
internal static class Diagonals
{
    /// <summary>diag_embed: the last dim of x becomes the diagonal (offset) of new dims dim1, dim2; zeros elsewhere.</summary>
    public static Tensor Embed(Tensor x, long offset, int dim1, int dim2)
    {
        int nd = x.NDim + 1;
        int d1 = Shapes.WrapDim(dim1, nd), d2 = Shapes.WrapDim(dim2, nd);
        if (d1 == d2) throw new ArgumentException($"diagonal dimensions cannot be identical {dim1}, {dim2}");
        long n = (x.NDim == 0 ? 1 : x.ShapeRef[^1]) + Math.Abs(offset);
        var rest = x.NDim == 0 ? new List<long>() : x.ShapeRef[..^1].ToList();
        var shape = new long[nd];
        for (int i = 0, r = 0; i < nd; i++) shape[i] = i == d1 || i == d2 ? n : rest[r++];
        var y = Torch.Zeros(shape, x.DType, x.Device);
        using (GradMode.Set(false)) y.Diagonal(offset, d1, d2).CopyFrom(x);
        if (Graph.ShouldRecord(x))
            Graph.Record(y, "DiagEmbedBackward0", [x], [], (g, _, _) => [g.Diagonal(offset, d1, d2)]);
        return y;
    }

    /// <summary>diag: a vector becomes the given diagonal of a square matrix; a matrix gives a copy of that diagonal.</summary>
    public static Tensor Diag(Tensor x, long diagonal)
    {
        if (x.NDim == 1) return Embed(x, diagonal, 0, 1);
        if (x.NDim == 2) return x.Diagonal(diagonal).Clone();
        throw new ArgumentException($"diag(): Supports 1D or 2D tensors. Got {x.NDim}D");
    }

    /// <summary>trace: the sum of a matrix's main diagonal (integers sum in int64).</summary>
    public static Tensor Trace(Tensor x)
    {
        x = Amp.Autocast.Cast("trace", x);
        if (x.NDim != 2) throw new ArgumentException($"trace: expected a matrix, but got tensor with dim {x.NDim}");
        Tensor y;
        using (GradMode.Set(false)) y = x.Diagonal().Sum();
        if (Graph.ShouldRecord(x))
        {
            var shape = x.ShapeRef;
            var dtype = x.DType;
            Graph.Record(y, "TraceBackward0", [x], [], (g, _, _) =>
            {
                var grad = Torch.Zeros(shape, dtype, g.Device);
                using (GradMode.Set(false)) grad.Diagonal().CopyFrom(g.Expand(grad.Diagonal().ShapeRef));
                return [grad];
            });
        }
        return y;
    }
}
