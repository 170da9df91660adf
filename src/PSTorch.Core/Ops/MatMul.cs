using PSTorch.Amp;
using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>Matrix products: mm, bmm, and matmul's dispatch over 1-D, 2-D and batched operands.</summary>
internal static class MatMul
{
    static void CheckTypes(Tensor a, Tensor b, string op)
    {
        Backend.CheckSameDevice(a, b);
        if (a.DType != b.DType)
            throw new InvalidOperationException($"expected m1 and m2 to have the same dtype, but got: {a.DType.Name()} != {b.DType.Name()}");
    }

    /// <summary>[m, k] @ [k, n].</summary>
    public static Tensor Mm(Tensor a, Tensor b)
    {
        (a, b) = Autocast.Cast("mm", a, b);
        CheckTypes(a, b, "mm");
        if (a.NDim != 2) throw new ArgumentException($"self must be a matrix");
        if (b.NDim != 2) throw new ArgumentException($"mat2 must be a matrix");
        var sa = a.ShapeRef; var sb = b.ShapeRef;
        if (sa[1] != sb[0])
            throw new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x{sa[1]} and {sb[0]}x{sb[1]})");
        var y = Tensor.Empty([sa[0], sb[1]], a.DType, a.Device);
        // the batched views hold claims on the storages: released now, or y's block would only return to the
        // allocator when the GC finalizes them, and every Mm would get fresh (page-faulting) memory
        using (var y3 = y.Unsqueeze0View())
        using (var a3 = a.Unsqueeze0View())
        using (var b3 = b.Unsqueeze0View())
            Backend.For(a).BatchedMatMul(y3, a3, b3);
        if (Graph.ShouldRecord(a, b))
            Graph.Record(y, "MmBackward0", [a, b], [a, b], (g, s, n) =>
                [n[0] ? Mm(g, s[1].T()) : null, n[1] ? Mat2Grad(s[0], g, s[1]) : null]);
        return y;
    }

    /// <summary>
    /// mat1^T @ g, the gradient of mat2. PyTorch's mm_mat2_backward: when mat2 is a transposed matrix (a linear
    /// layer's weight.T()) the product is computed as (g^T @ mat1)^T, so the gradient reaching the weight is
    /// contiguous in its layout and AccumulateGrad keeps it instead of copying it.
    /// </summary>
    static Tensor Mat2Grad(Tensor mat1, Tensor g, Tensor mat2)
    {
        var shape = mat2.ShapeRef; var strides = mat2.StridesRef;
        bool transposed = shape[0] > 1 && shape[1] > 1 && strides[0] == 1 && strides[1] == shape[0];
        // with create_graph the views are inputs of the new graph and must stay alive
        if (!transposed || GradMode.IsEnabled) return Mm(mat1.T(), g);
        using var gT = g.T();
        using var product = Mm(gT, mat1);
        return product.T();
    }

    /// <summary>input + mat1 @ mat2 in one GEMM (input broadcasts to [m, n]): the fused product of a linear layer.</summary>
    public static Tensor Addmm(Tensor input, Tensor mat1, Tensor mat2)
    {
        (mat1, mat2) = Autocast.Cast("addmm", mat1, mat2);
        input = Autocast.Cast("addmm", input);
        CheckTypes(mat1, mat2, "addmm");
        Backend.CheckSameDevice(input, mat1);
        if (mat1.NDim != 2 || mat2.NDim != 2) throw new ArgumentException("addmm: mat1 and mat2 must be matrices");
        var sa = mat1.ShapeRef; var sb = mat2.ShapeRef;
        if (sa[1] != sb[0])
            throw new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x{sa[1]} and {sb[0]}x{sb[1]})");
        var y = Tensor.Empty([sa[0], sb[1]], mat1.DType, mat1.Device);
        y.CopyFrom(input);
        using (var y3 = y.Unsqueeze0View())
        using (var a3 = mat1.Unsqueeze0View())
        using (var b3 = mat2.Unsqueeze0View())
            Backend.For(mat1).BatchedMatMul(y3, a3, b3, accumulate: true);
        if (Graph.ShouldRecord([input, mat1, mat2]))
        {
            var inShape = input.ShapeRef;
            Graph.Record(y, "AddmmBackward0", [input, mat1, mat2], [mat1, mat2], (g, s, n) =>
                [n[0] ? g.SumToSize(inShape) : null, n[1] ? Mm(g, s[1].T()) : null, n[2] ? Mat2Grad(s[0], g, s[1]) : null]);
        }
        return y;
    }

    /// <summary>[B, m, k] @ [B, k, n].</summary>
    public static Tensor Bmm(Tensor a, Tensor b)
    {
        (a, b) = Autocast.Cast("bmm", a, b);
        CheckTypes(a, b, "bmm");
        if (a.NDim != 3) throw new ArgumentException($"batch1 must be a 3D tensor");
        if (b.NDim != 3) throw new ArgumentException($"batch2 must be a 3D tensor");
        var sa = a.ShapeRef; var sb = b.ShapeRef;
        if (sa[0] != sb[0])
            throw new ArgumentException($"Expected size for first two dimensions of batch2 tensor to be: [{sa[0]}, {sa[2]}] but got: [{sb[0]}, {sb[1]}].");
        if (sa[2] != sb[1])
            throw new ArgumentException($"Expected size for first two dimensions of batch2 tensor to be: [{sa[0]}, {sa[2]}] but got: [{sb[0]}, {sb[1]}].");
        var y = Tensor.Empty([sa[0], sa[1], sb[2]], a.DType, a.Device);
        Backend.For(a).BatchedMatMul(y, a, b);
        if (Graph.ShouldRecord(a, b))
            Graph.Record(y, "BmmBackward0", [a, b], [a, b], (g, s, n) =>
                [n[0] ? Bmm(g, s[1].Transpose(1, 2)) : null, n[1] ? Bmm(s[0].Transpose(1, 2), g) : null]);
        return y;
    }

    /// <summary>torch.matmul: dot, matrix-vector, matrix-matrix, or batched with broadcast batch dimensions.</summary>
    public static Tensor Apply(Tensor a, Tensor b)
    {
        int da = a.NDim, db = b.NDim;
        if (da == 0 || db == 0)
            throw new ArgumentException($"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D");
        if (da == 1 && db == 1)
        {
            if (a.ShapeRef[0] != b.ShapeRef[0])
                throw new ArgumentException($"inconsistent tensor size, expected tensor [{a.ShapeRef[0]}] and src [{b.ShapeRef[0]}] to have the same number of elements, but got {a.ShapeRef[0]} and {b.ShapeRef[0]} elements respectively");
            return Mm(a.Unsqueeze(0), b.Unsqueeze(1)).Reshape();
        }
        if (da == 2 && db == 1) return Mm(a, b.Unsqueeze(1)).Squeeze(1);
        if (da == 1 && db == 2) return Mm(a.Unsqueeze(0), b).Squeeze(0);
        if (da == 2 && db == 2) return Mm(a, b);

        // batched: broadcast the batch dimensions, fold them into one, bmm, unfold
        var aa = da == 1 ? a.Unsqueeze(0) : a;
        var bb = db == 1 ? b.Unsqueeze(1) : b;
        var sa = aa.ShapeRef; var sb = bb.ShapeRef;
        long m = sa[^2], k = sa[^1], k2 = sb[^2], n = sb[^1];
        if (k != k2)
            throw new ArgumentException($"Expected size for first two dimensions of batch2 tensor to be: [?, {k}] but got: [?, {k2}].");
        var batch = Shapes.Broadcast(sa[..^2], sb[..^2]);
        long nb = Shapes.Numel(batch);
        var a3 = aa.Expand([.. batch, m, k]).Reshape(nb, m, k);
        var b3 = bb.Expand([.. batch, k, n]).Reshape(nb, k, n);
        var y = Bmm(a3, b3).View([.. batch, m, n]);
        if (da == 1) y = y.Squeeze(-2);
        if (db == 1) y = y.Squeeze(-1);
        return y;
    }
}
