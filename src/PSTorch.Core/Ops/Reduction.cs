using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>Shape rules shared by reductions over dimensions (dim/keepdim), the reduction driver, and sum.</summary>
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

    /// <summary>Number of elements reduced into each output element.</summary>
    public static long Count(long[] shape, int[] dims)
    {
        long n = 1;
        foreach (var d in dims) if (d < shape.Length) n *= shape[d];
        return n;
    }

    /// <summary>
    /// x as a contiguous [outer, n, inner] block whose n axis holds the reduced dims. Consecutive dims (the usual
    /// case, including a single middle dim) use x's own memory when it is contiguous; otherwise the kept dims are
    /// permuted first and copied.
    /// </summary>
    public static Tensor Layout(Tensor x, int[] dims, out long outer, out long n, out long inner)
    {
        var shape = x.ShapeRef;
        n = Count(shape, dims);
        using var _ = GradMode.Set(false);
        if (x.NDim == 0 || dims.Length == 0)
        {
            outer = x.Numel(); inner = 1;
            return x.Contiguous();
        }
        if (dims[^1] - dims[0] == dims.Length - 1)
        {
            outer = Shapes.Numel(shape.AsSpan(0, dims[0]));
            inner = Shapes.Numel(shape.AsSpan(dims[^1] + 1));
            return x.Contiguous();
        }
        var order = Enumerable.Range(0, x.NDim).Where(i => Array.IndexOf(dims, i) < 0).Concat(dims).ToArray();
        outer = Shapes.Numel(OutputShape(shape, dims, false));
        inner = 1;
        return x.Permute(order).Contiguous();
    }

    /// <summary>Reduces x (already in the result dtype) over normalised dims; an empty reduction gives the op's identity (or <paramref name="emptyValue"/>).</summary>
    public static Tensor Reduce(ReduceOp op, Tensor x, int[] dims, bool keepDim, double? emptyValue = null)
    {
        var y = Tensor.Empty(OutputShape(x.ShapeRef, dims, keepDim), x.DType, x.Device);
        if (y.Numel() == 0) return y;
        var src = Layout(x, dims, out long outer, out long n, out long inner);
        if (n == 0)
        {
            double identity = emptyValue ?? op switch
            {
                ReduceOp.Sum => 0,
                ReduceOp.Prod => 1,
                _ => throw new InvalidOperationException($"{op} has no identity for an empty reduction"),
            };
            Backend.For(y).Fill(y, identity);
        }
        else Backend.For(y).Reduce(op, y, src, outer, n, inner);
        return y;
    }

    /// <summary>The dtype sum/prod accumulate and return: integers and bool widen to int64.</summary>
    public static DType SumType(DType t) => t.IsFloatingPoint() ? t : DType.Int64;

    public static Tensor Sum(Tensor x, int[]? dimsArg, bool keepDim, DType? dtype)
    {
        if (dtype == null) x = Amp.Autocast.Cast("sum", x);
        var dims = Dims(dimsArg, x.NDim);
        var outType = dtype ?? SumType(x.DType);
        var y = Reduce(ReduceOp.Sum, x.DType == outType ? x : x.To(outType), dims, keepDim);
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
    public static Tensor ExpandReducedGrad(Tensor g, long[] inShape, int[] dims, bool keepDim) =>
        KeepDims(g, inShape.Length, dims, keepDim).Expand(inShape);

    /// <summary>A reduction's output with the reduced dims restored as size 1 (it broadcasts against the input).</summary>
    public static Tensor KeepDims(Tensor y, int inputNDim, int[] dims, bool keepDim)
    {
        if (!keepDim && inputNDim > 0)
            foreach (var d in dims) y = y.Unsqueeze(d);
        return y;
    }

    /// <summary>
    /// PyTorch's error for max/min/argmax/amax over a dim of size zero, or over an empty tensor without a dim
    /// (argmax/argmin word the latter without the hint to pass a dim).
    /// </summary>
    public static void CheckNonEmpty(string op, Tensor x, int[] dims, bool dimGiven)
    {
        if (!dimGiven && x.Numel() == 0)
            throw new ArgumentException(op is "argmax" or "argmin"
                ? $"{op}(): Expected reduction dim to be specified for input.numel() == 0."
                : $"{op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        foreach (var d in dims)
            if (d < x.NDim && x.ShapeRef[d] == 0)
                throw new IndexOutOfRangeException($"{op}(): Expected reduction dim {d} to have non-zero size.");
    }
}
