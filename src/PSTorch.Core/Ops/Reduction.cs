using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>Shape rules shared by reductions over dimensions (dim/keepdim).</summary>
internal static class Reduction
{
    /// <summary>Normalised, sorted, distinct dims; all dims when <paramref name="dims"/> is null or empty.</summary>
    public static int[] Dims(int[]? dims, int ndim)
    {
        if (dims == null || dims.Length == 0) return Enumerable.Range(0, ndim).ToArray();
        var d = dims.Select(x => Shapes.WrapDim(x, ndim)).ToArray();
        if (d.Distinct().Count() != d.Length) throw new ArgumentException($"dim {d.GroupBy(x => x).First(g => g.Count() > 1).Key} appears multiple times in the list of dims");
        Array.Sort(d);
        return d;
    }

    public static long[] OutputShape(long[] shape, int[] dims, bool keepDim)
    {
        var r = new List<long>();
        for (int i = 0; i < shape.Length; i++)
        {
            if (Array.IndexOf(dims, i) < 0) r.Add(shape[i]);
            else if (keepDim) r.Add(1);
        }
        return r.ToArray();
    }

    /// <summary>
    /// A view of x with the kept dims first and the reduced dims last, made contiguous, as [rows, n]
    /// (rows = number of outputs, n = elements reduced into each).
    /// </summary>
    public static Tensor AsRows(Tensor x, int[] dims, out long rows, out long n)
    {
        var kept = Enumerable.Range(0, x.NDim).Where(i => Array.IndexOf(dims, i) < 0);
        var order = kept.Concat(dims).ToArray();
        n = 1;
        foreach (var d in dims) n *= x.ShapeRef[d];
        rows = n == 0 ? Shapes.Numel(OutputShape(x.ShapeRef, dims, false)) : x.Numel() / n;
        Tensor permuted;
        using (GradMode.Set(false)) permuted = x.Permute(order).Contiguous();
        return permuted;
    }

    /// <summary>The dtype sum/prod accumulate and return: integers and bool widen to int64.</summary>
    public static DType SumType(DType t) => t.IsFloatingPoint() ? t : DType.Int64;

    public static Tensor Sum(Tensor x, int[]? dimsArg, bool keepDim, DType? dtype)
    {
        var dims = Dims(dimsArg, x.NDim);
        var outType = dtype ?? SumType(x.DType);
        var src = x.DType == outType ? x : x.To(outType);
        var rowsView = AsRows(src, dims, out long rows, out long n);
        var y = Tensor.Empty(OutputShape(x.ShapeRef, dims, keepDim), outType, x.Device);
        Backend.For(x).SumRows(y, rowsView, rows, n);
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            var inType = x.DType;
            bool full = dimsArg == null || dimsArg.Length == 0;
            Graph.Record(y, full ? "SumBackward0" : "SumBackward1", [x], [], (g, _, _) =>
                [ExpandReducedGrad(g, inShape, dims, keepDim).To(inType)]);
        }
        return y;
    }

    /// <summary>Broadcasts the gradient of a reduction back to the input shape.</summary>
    public static Tensor ExpandReducedGrad(Tensor g, long[] inShape, int[] dims, bool keepDim)
    {
        if (!keepDim)
            foreach (var d in dims) g = g.Unsqueeze(d);
        return g.Expand(inShape);
    }
}
