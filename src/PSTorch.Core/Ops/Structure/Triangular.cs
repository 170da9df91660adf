using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>tril/triu: the lower or upper triangle of the last two dims, zeros elsewhere (a where over an index mask).</summary>
internal static class Triangular
{
    public static Tensor Apply(Tensor x, long diagonal, bool lower)
    {
        string name = lower ? "tril" : "triu";
        if (x.NDim < 2) throw new ArgumentException($"{name}: input tensor must have at least 2 dimensions");
        Tensor y;
        using (GradMode.Set(false)) y = Torch.Where(Mask(x, diagonal, lower), x, Torch.Zeros([], x.DType, x.Device));
        if (Graph.ShouldRecord(x))
            Graph.Record(y, lower ? "TrilBackward0" : "TriuBackward0", [x], [], (g, _, _) => [Apply(g, diagonal, lower)]);
        return y;
    }

    public static Tensor ApplyInPlace(Tensor x, long diagonal, bool lower) => WriteBack.Apply(x, t => Apply(t, diagonal, lower));

    /// <summary>[rows, cols] bool: column - row &lt;= diagonal for the lower triangle, &gt;= for the upper one.</summary>
    static Tensor Mask(Tensor x, long diagonal, bool lower)
    {
        long rows = x.ShapeRef[^2], cols = x.ShapeRef[^1];
        var offset = Torch.Arange(cols, DType.Int64, x.Device).Unsqueeze(0) - Torch.Arange(rows, DType.Int64, x.Device).Unsqueeze(1);
        return lower ? offset <= diagonal : offset >= diagonal;
    }
}
