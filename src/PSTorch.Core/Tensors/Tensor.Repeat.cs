using PSTorch.Autograd;

namespace PSTorch;

public partial class Tensor
{
    /// <summary>repeat(sizes): tiles the tensor, sizes[i] copies along dimension i (leading sizes add dimensions).</summary>
    public Tensor Repeat(params long[] repeats)
    {
        if (repeats.Length < NDim)
            throw new ArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        // Tile through a view [r0, s0, r1, s1, ...] that expands each dimension next to its repeat count.
        var sizes = Enumerable.Repeat(1L, repeats.Length - NDim).Concat(shape).ToArray();
        var interleavedOnes = sizes.SelectMany(s => new[] { 1L, s }).ToArray();
        var interleaved = repeats.Zip(sizes, (r, s) => new[] { r, s }).SelectMany(x => x).ToArray();
        var target = repeats.Zip(sizes, (r, s) => r * s).ToArray();
        Tensor y;
        using (GradMode.Set(false)) y = Reshape(interleavedOnes).Expand(interleaved).Contiguous().View(target);
        if (Graph.ShouldRecord(this))
        {
            var original = shape;
            var repeatDims = Enumerable.Range(0, repeats.Length).Select(i => 2 * i).ToArray();
            Graph.Record(y, "RepeatBackward0", [this], [], (g, _, _) => [g.Reshape(interleaved).Sum(repeatDims).Reshape(original)]);
        }
        return y;
    }
}
