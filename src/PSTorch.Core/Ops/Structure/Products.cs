using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>Vector and tensor products: outer, dot, mv, kron, tensordot and the cross product.</summary>
internal static class Products
{
    static void CheckVector(Tensor t, string op, string argument)
    {
        if (t.NDim != 1) throw new ArgumentException($"{op}: Expected 1-D argument {argument}, but got {t.NDim}-D");
    }

    /// <summary>outer(a, b)[i, j] = a[i] * b[j] (a broadcast multiply, as PyTorch composes it).</summary>
    public static Tensor Outer(Tensor a, Tensor b)
    {
        CheckVector(a, "outer", "self");
        CheckVector(b, "outer", "vec2");
        return a.Unsqueeze(1) * b;
    }

    public static Tensor Dot(Tensor a, Tensor b)
    {
        if (a.NDim != 1 || b.NDim != 1) throw new ArgumentException($"1D tensors expected, but got {a.NDim}D and {b.NDim}D tensors");
        if (a.DType != b.DType)
            throw new ArgumentException($"dot : expected both vectors to have same dtype, but found {a.DType.LegacyName()} and {b.DType.LegacyName()}");
        if (a.Numel() != b.Numel())
            throw new ArgumentException($"inconsistent tensor size, expected tensor [{a.Numel()}] and src [{b.Numel()}] to have the same number of elements, but got {a.Numel()} and {b.Numel()} elements respectively");
        Tensor y;
        using (GradMode.Set(false)) y = (a * b).Sum(a.DType);
        if (Graph.ShouldRecord(a, b))
            Graph.Record(y, "DotBackward0", [a, b], [a, b], (g, s, needs) => [needs[0] ? g * s[1] : null, needs[1] ? g * s[0] : null]);
        return y;
    }

    public static Tensor Mv(Tensor mat, Tensor vec)
    {
        (mat, vec) = Amp.Autocast.Cast("mv", mat, vec);
        if (mat.NDim != 2 || vec.NDim != 1) throw new ArgumentException($"vector + matrix @ vector expected, got 1, {mat.NDim}, {vec.NDim}");
        if (mat.ShapeRef[1] != vec.ShapeRef[0])
            throw new ArgumentException($"size mismatch, got input ({mat.ShapeRef[0]}), mat ({mat.ShapeRef[0]}x{mat.ShapeRef[1]}), vec ({vec.ShapeRef[0]})");
        Tensor y;
        using (GradMode.Set(false)) y = mat.Mm(vec.Unsqueeze(1)).Squeeze(1);
        if (Graph.ShouldRecord(mat, vec))
            Graph.Record(y, "MvBackward0", [mat, vec], [mat, vec], (g, s, needs) =>
                [needs[0] ? g.Unsqueeze(1) * s[1] : null, needs[1] ? Mv(s[0].T(), g) : null]);
        return y;
    }

    /// <summary>kron: every element of a scales a copy of b (interleaved reshapes and a broadcast multiply).</summary>
    public static Tensor Kron(Tensor a, Tensor b)
    {
        int nd = Math.Max(a.NDim, b.NDim);
        var sa = Enumerable.Repeat(1L, nd - a.NDim).Concat(a.ShapeRef).ToArray();
        var sb = Enumerable.Repeat(1L, nd - b.NDim).Concat(b.ShapeRef).ToArray();
        var aSpread = sa.SelectMany(s => new[] { s, 1L }).ToArray();
        var bSpread = sb.SelectMany(s => new[] { 1L, s }).ToArray();
        var shape = sa.Zip(sb, (x, y) => x * y).ToArray();
        return (a.Reshape(aSpread) * b.Reshape(bSpread)).Reshape(shape);
    }

    /// <summary>tensordot over the last <paramref name="dims"/> dims of a and the first of b.</summary>
    public static Tensor Tensordot(Tensor a, Tensor b, int dims)
    {
        if (dims < 0) throw new ArgumentException($"tensordot expects dims >= 0, but got dims={dims}");
        if (dims > a.NDim || dims > b.NDim)
            throw new ArgumentException($"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}");
        return Tensordot(a, b, Enumerable.Range(a.NDim - dims, dims).ToArray(), Enumerable.Range(0, dims).ToArray());
    }

    /// <summary>tensordot: contracts a's dims <paramref name="dimsA"/> with b's <paramref name="dimsB"/> (a permute, reshape and mm).</summary>
    public static Tensor Tensordot(Tensor a, Tensor b, int[] dimsA, int[] dimsB)
    {
        if (dimsA.Length != dimsB.Length) throw new ArgumentException("both dimension lists should have same length");
        var ca = dimsA.Select(d => Shapes.WrapDim(d, a.NDim)).ToArray();
        var cb = dimsB.Select(d => Shapes.WrapDim(d, b.NDim)).ToArray();
        long contracted = 1;
        for (int i = 0; i < ca.Length; i++)
        {
            long sa = a.ShapeRef[ca[i]], sb = b.ShapeRef[cb[i]];
            if (sa != sb)
                throw new ArgumentException($"contracted dimensions need to match, but first has size {sa} in dim {ca[i]} and second has size {sb} in dim {cb[i]}");
            contracted *= sa;
        }
        var freeA = Enumerable.Range(0, a.NDim).Where(d => !ca.Contains(d)).ToArray();
        var freeB = Enumerable.Range(0, b.NDim).Where(d => !cb.Contains(d)).ToArray();
        var left = a.Permute([.. freeA, .. ca]).Reshape(-1, contracted);
        var right = b.Permute([.. cb, .. freeB]).Reshape(contracted, -1);
        long[] shape = [.. freeA.Select(d => a.ShapeRef[d]), .. freeB.Select(d => b.ShapeRef[d])];
        return left.Mm(right).Reshape(shape);
    }

    /// <summary>linalg.cross along dim (inputs broadcast); torch.cross without a dim uses the first dim of size 3.</summary>
    public static Tensor Cross(Tensor a, Tensor b, int? dim)
    {
        if (a.NDim != b.NDim) throw new ArgumentException("linalg.cross: inputs must have the same number of dimensions.");
        var shape = Shapes.Broadcast(a.ShapeRef, b.ShapeRef);
        int d = dim is { } given ? Shapes.WrapDim(given, shape.Length) : Array.IndexOf(shape, 3L);
        if (d < 0) throw new ArgumentException("no dimension of size 3 in input");
        if (a.ShapeRef[d] != 3 || b.ShapeRef[d] != 3)
            throw new ArgumentException($"linalg.cross: inputs dimension {dim ?? d} must have length 3. Got {a.ShapeRef[d]} and {b.ShapeRef[d]}");
        Tensor y;
        using (GradMode.Set(false))
        {
            var (x, z) = (a.Expand(shape), b.Expand(shape));
            Tensor A(int i) => x.Narrow(d, i, 1);
            Tensor B(int i) => z.Narrow(d, i, 1);
            y = Torch.Cat([A(1) * B(2) - A(2) * B(1), A(2) * B(0) - A(0) * B(2), A(0) * B(1) - A(1) * B(0)], d);
        }
        if (Graph.ShouldRecord(a, b))
        {
            var (shapeA, shapeB) = (a.ShapeRef, b.ShapeRef);
            Graph.Record(y, "LinalgCrossBackward0", [a, b], [a, b], (g, s, needs) =>
                [needs[0] ? Cross(s[1], g, d).SumToSize(shapeA) : null, needs[1] ? Cross(g, s[0], d).SumToSize(shapeB) : null]);
        }
        return y;
    }
}
