using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

public class IndexingTests
{
    static readonly double[] Six = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void GatherAlongEachDim()
    {
        var x = Doubles(Six, 2, 3);
        Close([1, 1, 5, 4], x.Gather(1, Longs([0, 0, 1, 0], 2, 2)));
        Close([4, 2, 6, 1, 5, 3], x.Gather(0, Longs([1, 0, 1, 0, 1, 0], 2, 3)));
        Close([3, 4], x.Gather(-1, Longs([2, 0], 2, 1)));
        // int32 indices are accepted, transposed sources are read through their strides
        Close([4, 2], x.T().Gather(1, Torch.FromArray(new int[] { 1, 0 }, [2, 1])));
        Assert.Equal(DType.Float64, x.Gather(1, Longs([0], 1, 1)).DType);
    }

    [Fact]
    public void GatherErrors()
    {
        var x = Doubles(Six, 2, 3);
        var e = Assert.Throws<IndexOutOfRangeException>(() => x.Gather(1, Longs([5], 1, 1)));
        Assert.Equal("index 5 is out of bounds for dimension 1 with size 3", e.Message);
        e = Assert.Throws<IndexOutOfRangeException>(() => x.Gather(0, Longs([-1], 1, 1)));
        Assert.Equal("index -1 is out of bounds for dimension 0 with size 2", e.Message);
        Assert.Throws<ArgumentException>(() => x.Gather(1, Longs([0, 1])));
        var size = Assert.Throws<ArgumentException>(() => x.Gather(1, Longs([0, 0, 0], 3, 1)));
        Assert.StartsWith("Size does not match at dimension 0", size.Message);
        var dtype = Assert.Throws<InvalidOperationException>(() => x.Gather(1, Doubles([0], 1, 1)));
        Assert.Equal("gather(): Expected dtype int64 for index", dtype.Message);
    }

    [Fact]
    public void GatherGradientAccumulatesRepeatedIndices()
    {
        var x = Leaf(Six, 2, 3);
        var y = x.Gather(1, Longs([2, 2, 0, 1], 2, 2));
        Assert.Equal("GatherBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        Close([0, 0, 2, 1, 1, 0], x.Grad!);
        var a = Leaf([0.3, -1, 2.5, 0.7, 1.1, -0.4], 2, 3);
        Assert.True(Torch.GradCheck(t => t[0].Gather(0, Longs([1, 1, 0, 0, 1, 1], 2, 3)), [a]));
    }

    [Fact]
    public void ScatterAndScatterAdd()
    {
        var src = Doubles(Six, 2, 3);
        var index = Longs([0, 1, 2, 2, 0, 1], 2, 3);
        Close([1, 2, 3, 5, 6, 4, 0, 0, 0], Torch.Zeros([3, 3], DType.Float64).Scatter(1, index, src));
        Close([5, 6, 0, 0, 0, 0, 0, 0, 0], Torch.Zeros([3, 3], DType.Float64).Scatter(0, Longs([0, 0], 1, 2), src.Narrow(0, 1, 1).Narrow(1, 1, 2)));
        var added = Torch.Zeros([2, 3], DType.Float64).ScatterAdd(1, Longs([0, 0, 2, 1, 1, 1], 2, 3), src);
        Close([3, 0, 3, 0, 15, 0], added);
        var filled = Torch.Zeros([2, 3], DType.Float64).Scatter(1, Longs([1, 0], 2, 1), 7.0);
        Close([0, 7, 0, 7, 0, 0], filled);
    }

    [Fact]
    public void ScatterInPlaceBumpsTheVersion()
    {
        var t = Torch.Zeros([4], DType.Float64);
        int v = t.Version;
        var r = t.ScatterAdd_(0, Longs([1, 1, 3]), Doubles([1, 2, 3]));
        Assert.Same(t, r);
        Close([0, 3, 0, 3], t);
        Assert.True(t.Version > v);
        t.Scatter_(0, Longs([0]), Doubles([9]));
        Close([9, 3, 0, 3], t);
        t.Scatter_(0, Longs([2]), -1.0);
        Close([9, 3, -1, 3], t);
        var e = Assert.Throws<IndexOutOfRangeException>(() => t.Scatter_(0, Longs([4]), 0.0));
        Assert.Equal("index 4 is out of bounds for dimension 0 with size 4", e.Message);
        Assert.Throws<InvalidOperationException>(() => t.Scatter_(0, Longs([0]), Torch.FromArray(new float[] { 1 })));
    }

    [Fact]
    public void ScatterGradients()
    {
        var self = Leaf([0.3, -1, 2.5, 0.7, 1.1, -0.4], 2, 3);
        var src = Leaf([1.5, -0.5, 2, 0.25], 2, 2);
        var index = Longs([2, 0, 1, 2], 2, 2);
        Assert.Equal("ScatterBackward0", self.Scatter(1, index, src).GradFn!.Name);
        Assert.Equal("ScatterAddBackward0", self.ScatterAdd(1, index, src).GradFn!.Name);
        Assert.True(Torch.GradCheck(t => t[0].Scatter(1, index, t[1]), [self, src]));
        Assert.True(Torch.GradCheck(t => t[0].ScatterAdd(1, Longs([0, 0, 1, 1], 2, 2), t[1]), [self, src]));
        Assert.True(Torch.GradCheck(t => t[0].Scatter(0, Longs([1, 0], 1, 2), 3.0), [self]));
        // scatter's in-place form under autograd: the overwritten values get no gradient
        var y = self * 1;
        y.Scatter_(1, Longs([0], 1, 1), src.Narrow(0, 0, 1).Narrow(1, 0, 1));
        y.Sum().Backward();
        Close([0, 1, 1, 1, 1, 1], self.Grad!);
        Close([1, 0, 0, 0], src.Grad!);
    }

    [Fact]
    public void IndexSelectRowsAndColumns()
    {
        var x = Doubles(Six, 2, 3);
        Close([4, 5, 6, 1, 2, 3, 4, 5, 6], x.IndexSelect(0, Longs([1, 0, 1])));
        Close([3, 1, 6, 4], x.IndexSelect(1, Torch.FromArray(new int[] { 2, 0 })));
        Close([2, 5], x.IndexSelect(-1, Torch.Full([], 1, DType.Int64)));
        Close([2, 5], x.T().IndexSelect(0, Longs([1])));
        Assert.Equal(new long[] { 0, 3 }, x.IndexSelect(0, Torch.Zeros([0], DType.Int64)).Shape);
        var e = Assert.Throws<IndexOutOfRangeException>(() => x.IndexSelect(0, Longs([2])));
        Assert.Equal("index out of range in self", e.Message);
        var v = Assert.Throws<ArgumentException>(() => x.IndexSelect(0, Longs([0, 1], 1, 2)));
        Assert.Equal("index_select(): Index is supposed to be a vector", v.Message);
    }

    [Fact]
    public void IndexSelectGradientAndIndexAdd()
    {
        var x = Leaf(Six, 3, 2);
        var y = x.IndexSelect(0, Longs([2, 0, 2]));
        Assert.Equal("IndexSelectBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        Close([1, 1, 0, 0, 2, 2], x.Grad!);
        Assert.True(Torch.GradCheck(t => t[0].IndexSelect(1, Longs([1, 1, 0])), [Leaf([0.3, -1, 2.5, 0.7, 1.1, -0.4], 3, 2)]));

        var target = Torch.Ones([3, 2], DType.Float64);
        target.IndexAdd_(0, Longs([2, 0, 2]), Doubles(Six, 3, 2));
        Close([4, 5, 1, 1, 7, 9], target);
        Close([1, 1, 1, 1, 1 + 2 * 1 + 2 * 5, 1 + 2 * 2 + 2 * 6], Torch.Ones([3, 2], DType.Float64).IndexAdd(0, Longs([2, 2]), Doubles([1, 2, 5, 6], 2, 2), alpha: 2));
        var e = Assert.Throws<IndexOutOfRangeException>(() => target.IndexAdd_(0, Longs([3]), Doubles([1, 1], 1, 2)));
        Assert.Equal("index out of range in self", e.Message);

        var self = Leaf([0.3, -1, 2.5, 0.7, 1.1, -0.4], 3, 2);
        var source = Leaf([1.5, -0.5, 2, 0.25], 2, 2);
        Assert.Equal("IndexAddBackward0", self.IndexAdd(0, Longs([1, 1]), source).GradFn!.Name);
        Assert.True(Torch.GradCheck(t => t[0].IndexAdd(0, Longs([1, 1]), t[1], alpha: -3) * t[0], [self, source]));
    }

    [Fact]
    public void MaskedFillBroadcastsTheMask()
    {
        var x = Doubles(Six, 2, 3);
        var mask = Torch.FromArray(new[] { true, false, true });
        Close([0, 2, 0, 0, 5, 0], x.MaskedFill(mask, 0));
        Close([-1, 2, -1, 4, 5, 6], x.MaskedFill(Torch.FromArray(new[] { true, false, true, false, false, false }, [2, 3]), -1));
        Assert.Equal(new long[] { 2, 2, 3 }, x.MaskedFill(Torch.FromArray(new[] { true, false }, [2, 1, 1]), 0).Shape);
        var ints = Torch.FromArray(new long[] { 1, 2, 3 });
        Assert.Equal(new long[] { 1, 9, 3 }, ints.MaskedFill(Torch.FromArray(new[] { false, true, false }), 9).ToArray<long>());
    }

    [Fact]
    public void MaskedFillInPlaceAndErrors()
    {
        var x = Doubles(Six, 2, 3);
        var r = x.MaskedFill_(Torch.FromArray(new[] { false, true, false }), double.NegativeInfinity);
        Assert.Same(x, r);
        Close([1, double.NegativeInfinity, 3, 4, double.NegativeInfinity, 6], x, 0);
        var e = Assert.Throws<InvalidOperationException>(() => x.MaskedFill(Longs([1, 0, 1]), 0));
        Assert.Equal("masked_fill_ only supports boolean masks, but got mask with dtype long int", e.Message);
        Assert.Throws<ArgumentException>(() => x.MaskedFill_(Torch.FromArray(new[] { true, false }, [2, 1, 1]), 0));
    }

    [Fact]
    public void MaskedFillGradient()
    {
        var x = Leaf(Six, 2, 3);
        var mask = Torch.FromArray(new[] { true, false, true });
        var y = x.MaskedFill(mask, 5);
        Assert.Equal("MaskedFillBackward0", y.GradFn!.Name);
        (y * y).Sum().Backward();
        Close([0, 4, 0, 0, 10, 0], x.Grad!);
        Assert.True(Torch.GradCheck(t => t[0].MaskedFill(Torch.FromArray(new[] { true, false }, [2, 1, 1]), 0).Exp(), [Leaf([0.3, -1, 2.5, 0.7, 1.1, -0.4], 2, 3)]));
        var z = Leaf([1, 2, 3]) * 2;
        z.MaskedFill_(mask, 0);
        Assert.Equal("MaskedFillBackward0", z.GradFn!.Name);
    }
}
