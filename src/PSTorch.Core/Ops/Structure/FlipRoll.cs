using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>flip, roll and rot90: reorderings along dims, built from index_select and cat so every backend runs them.</summary>
internal static class FlipRoll
{
    public static Tensor Flip(Tensor x, int[] dims)
    {
        var wrapped = WrapDistinct(x, dims);
        Tensor y;
        using (GradMode.Set(false))
        {
            y = x;
            foreach (int d in wrapped)
                y = y.IndexSelect(d, Torch.Arange(x.ShapeRef[d] - 1, -1, -1, DType.Int64, x.Device));
            if (ReferenceEquals(y, x)) y = x.Clone();
        }
        if (Graph.ShouldRecord(x)) Graph.Record(y, "FlipBackward0", [x], [], (g, _, _) => [g.Flip(wrapped)]);
        return y;
    }

    static int[] WrapDistinct(Tensor x, int[] dims)
    {
        var wrapped = dims.Select(d => Shapes.WrapDim(d, x.NDim)).ToArray();
        for (int i = 0; i < wrapped.Length; i++)
            if (Array.IndexOf(wrapped, wrapped[i]) != i)
                throw new ArgumentException($"dim {wrapped[i]} appears multiple times in the list of dims");
        return x.NDim == 0 ? [] : wrapped;
    }

    /// <summary>roll: elements shifted along each dim, wrapping around; without dims the flattened tensor is rolled.</summary>
    public static Tensor Roll(Tensor x, long[] shifts, int[] dims)
    {
        if (shifts.Length == 0) throw new ArgumentException("`shifts` required");
        if (dims.Length == 0 && shifts.Length == 1)
        {
            var flat = x.Flatten();
            return Roll(flat, shifts, [0]).View(x.ShapeRef);
        }
        if (shifts.Length != dims.Length)
            throw new ArgumentException($"shifts and dimensions must align. shifts: {shifts.Length}, dims:{dims.Length}");
        var wrapped = dims.Select(d => Shapes.WrapDim(d, x.NDim)).ToArray();
        Tensor y;
        using (GradMode.Set(false))
        {
            y = x;
            for (int k = 0; k < wrapped.Length; k++)
            {
                int d = wrapped[k];
                long size = x.ShapeRef[d];
                if (size == 0) continue;
                long s = ((shifts[k] % size) + size) % size;
                if (s == 0) continue;
                y = Torch.Cat([y.Narrow(d, size - s, s), y.Narrow(d, 0, size - s)], d);
            }
            if (ReferenceEquals(y, x)) y = x.Clone();
        }
        if (Graph.ShouldRecord(x))
        {
            var back = shifts.Select(s => -s).ToArray();
            Graph.Record(y, "RollBackward0", [x], [], (g, _, _) => [Roll(g, back, wrapped)]);
        }
        return y;
    }

    /// <summary>rot90: k quarter turns in the plane of dims, from the first towards the second (flips and a transpose).</summary>
    public static Tensor Rot90(Tensor x, long k, int[] dims)
    {
        if (dims.Length != 2) throw new ArgumentException($"expected total rotation dims == 2, but got dims = {dims.Length}");
        if (x.NDim < 2) throw new ArgumentException($"expected total dims >= 2, but got total dims = {x.NDim}");
        int d0 = Shapes.WrapDim(dims[0], x.NDim), d1 = Shapes.WrapDim(dims[1], x.NDim);
        if (d0 == d1) throw new ArgumentException($"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}");
        return (((k % 4) + 4) % 4) switch
        {
            1 => x.Flip(d1).Transpose(d0, d1),
            2 => x.Flip(d0, d1),
            3 => x.Flip(d0).Transpose(d0, d1),
            _ => x.Clone(),
        };
    }
}
