using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>index_fill, index_copy and scatter_reduce ("sum", "mean") against naive loops, with gradients.</summary>
public class IndexFillCopyTests
{
    static Tensor Grid(long rows, long cols) => Torch.Arange(rows * cols, DType.Float64).Reshape(rows, cols);

    [Fact]
    public void IndexFillSetsSlicesAlongADim()
    {
        var x = Grid(3, 4);
        TensorAssert.Close([0, -1, 2, -1, 4, -1, 6, -1, 8, -1, 10, -1], x.IndexFill(1, TensorAssert.Longs([3, 1]), -1));
        TensorAssert.Close([0, 1, 2, 3, 9, 9, 9, 9, 8, 9, 10, 11], Torch.IndexFill(x, 0, TensorAssert.Longs([1]), 9));
        TensorAssert.Close([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], x);   // out of place leaves x alone
        var ints = Torch.Arange(6).Reshape(2, 3).IndexFill(-1, Torch.FromArray(new[] { 0 }), 7);
        Assert.Equal(DType.Int64, ints.DType);
        Assert.Equal(new long[] { 7, 1, 2, 7, 4, 5 }, ints.ToArray<long>());
    }

    [Fact]
    public void IndexFillInPlaceWritesThroughNonContiguousViews()
    {
        var x = Grid(3, 4);
        var view = x.T();
        Assert.Same(view, view.IndexFill_(1, TensorAssert.Longs([2]), 0));
        TensorAssert.Close([0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0], x);
    }

    [Fact]
    public void IndexFillGradientSkipsTheFilledSlices()
    {
        var leaf = TensorAssert.Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        var y = leaf.IndexFill(1, TensorAssert.Longs([0, 2]), 5);
        Assert.Equal("IndexFillBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        TensorAssert.Close([0, 1, 0, 0, 1, 0], leaf.Grad!);
        Assert.True(Torch.GradCheck(t => t[0].IndexFill(0, TensorAssert.Longs([1]), -2), [leaf]));
        var other = TensorAssert.Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.True(Torch.GradCheck(t => (t[0] * 2).IndexFill_(1, TensorAssert.Longs([1]), 3), [other]));
    }

    [Fact]
    public void IndexFillRejectsBadIndices()
    {
        var x = Grid(2, 3);
        Assert.Equal("index 3 is out of bounds for dimension 1 with size 3", Assert.Throws<IndexOutOfRangeException>(() => x.IndexFill(1, TensorAssert.Longs([3]), 0)).Message);
        TensorAssert.Close([0, 1, 7, 3, 4, 7], x.IndexFill(1, TensorAssert.Longs([-1]), 7));   // negative indices count from the end
        Assert.Throws<InvalidOperationException>(() => x.IndexFill(1, Torch.Zeros(1), 0));
        Assert.Throws<ArgumentException>(() => x.IndexFill(1, TensorAssert.Longs([0, 1], 1, 2), 0));
    }

    [Fact]
    public void IndexCopyMatchesANaiveLoop()
    {
        var x = Grid(4, 3);
        var source = TensorAssert.Doubles([-1, -2, -3, -4, -5, -6], 2, 3);
        var index = TensorAssert.Longs([3, 0]);
        var expected = x.ToArray<double>();
        for (int i = 0; i < 2; i++)
            for (int c = 0; c < 3; c++)
                expected[index.ToArray<long>()[i] * 3 + c] = source.ToArray<double>()[i * 3 + c];
        TensorAssert.Close(expected, x.IndexCopy(0, index, source));
        TensorAssert.Close(expected, Torch.IndexCopy(x, 0, index, source));
        // a transposed (non-contiguous) source copied into columns 0 and 2
        TensorAssert.Close([0, 1, -4, -1, 4, -5, -2, 7, -6, -3, 10, -7], x.IndexCopy(1, TensorAssert.Longs([0, 2]), Grid(2, 4).Neg().T()));
    }

    [Fact]
    public void IndexCopyGradientsGoToTheCopiedSource()
    {
        var x = TensorAssert.Leaf([1, 2, 3, 4, 5, 6], 3, 2);
        var source = TensorAssert.Leaf([7, 8, 9, 10], 2, 2);
        var y = x.IndexCopy(0, TensorAssert.Longs([2, 0]), source);
        Assert.Equal("IndexCopyBackward0", y.GradFn!.Name);
        (y * Grid(3, 2)).Sum().Backward();
        TensorAssert.Close([0, 0, 2, 3, 0, 0], x.Grad!);
        TensorAssert.Close([4, 5, 0, 1], source.Grad!);
        Assert.True(Torch.GradCheck(t => t[0].IndexCopy(1, TensorAssert.Longs([1]), t[1]), [x, TensorAssert.Leaf([1, 2, 3], 3, 1)]));
        Assert.True(Torch.GradCheck(t => (t[0] + 0).IndexCopy_(0, TensorAssert.Longs([1, 2]), t[1]), [x, source]));
    }

    [Fact]
    public void IndexCopyChecksShapesAndDtypes()
    {
        var x = Grid(3, 2);
        Assert.Equal("index_copy_(): Number of indices (1) should be equal to source.size(dim) (2)",
            Assert.Throws<ArgumentException>(() => x.IndexCopy(0, TensorAssert.Longs([0]), Grid(2, 2))).Message);
        Assert.Equal("index_copy_(): self and source expected to have the same dtype, but got (self) Double and (source) Float",
            Assert.Throws<InvalidOperationException>(() => x.IndexCopy(0, TensorAssert.Longs([0]), Torch.Zeros(1, 2))).Message);
        Assert.Equal("index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: [2] at dimension 0 and source slice shape: [3] at dimension 0.",
            Assert.Throws<ArgumentException>(() => x.IndexCopy(0, TensorAssert.Longs([0]), Grid(1, 3))).Message);
        Assert.Equal("index -1 is out of bounds for dimension 0 with size 3", Assert.Throws<IndexOutOfRangeException>(() => x.IndexCopy(0, TensorAssert.Longs([-1]), Grid(1, 2))).Message);
    }

    [Theory]
    [InlineData("sum", true)]
    [InlineData("sum", false)]
    [InlineData("mean", true)]
    [InlineData("mean", false)]
    public void ScatterReduceMatchesANaiveLoop(string reduce, bool includeSelf)
    {
        var self = Grid(2, 4);
        var src = TensorAssert.Doubles([1, 2, 3, 4, 5, 6], 2, 3);
        var index = TensorAssert.Longs([0, 0, 3, 1, 1, 1], 2, 3);
        var selfValues = self.ToArray<double>();
        var expected = new double[8];
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 4; c++)
            {
                var hits = Enumerable.Range(0, 3).Where(j => index.ToArray<long>()[r * 3 + j] == c).Select(j => src.ToArray<double>()[r * 3 + j]).ToList();
                if (hits.Count == 0) { expected[r * 4 + c] = selfValues[r * 4 + c]; continue; }
                if (includeSelf) hits.Add(selfValues[r * 4 + c]);
                expected[r * 4 + c] = reduce == "sum" ? hits.Sum() : hits.Average();
            }
        TensorAssert.Close(expected, self.ScatterReduce(1, index, src, reduce, includeSelf), 1e-12);
        var target = self.Clone();
        Assert.Same(target, target.ScatterReduce_(1, index, src, reduce, includeSelf));
        TensorAssert.Close(expected, target, 1e-12);
        var leaf = TensorAssert.Leaf([.. selfValues], 2, 4);
        Assert.True(Torch.GradCheck(t => Torch.ScatterReduce(t[0], 1, index, t[1], reduce, includeSelf), [leaf, src.Clone().RequiresGrad_()]));
    }

    [Fact]
    public void ScatterReduceMeanFloorsForIntegers()
    {
        var y = Torch.Zeros([3], DType.Int64).ScatterReduce(0, TensorAssert.Longs([0, 0, 2]), TensorAssert.Longs([3, 4, -3]), "mean", includeSelf: false);
        Assert.Equal(new long[] { 3, 0, -3 }, y.ToArray<long>());
        Assert.Equal(new long[] { 2, 0, -2 }, Torch.Zeros([3], DType.Int64).ScatterReduce(0, TensorAssert.Longs([0, 0, 2]), TensorAssert.Longs([3, 4, -3]), "mean").ToArray<long>());
        Assert.Throws<NotSupportedException>(() => Torch.Zeros(3).ScatterReduce(0, TensorAssert.Longs([0]), Torch.Ones(1), "amax"));
        Assert.Equal("reduce argument must be either sum, prod, mean, amax or amin, got max",
            Assert.Throws<NotSupportedException>(() => Torch.Zeros(3).ScatterReduce(0, TensorAssert.Longs([0]), Torch.Ones(1), "max")).Message);
    }
}
