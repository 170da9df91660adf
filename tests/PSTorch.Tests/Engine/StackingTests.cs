using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

/// <summary>meshgrid, cartesian_prod, tensor_split, the stacks, diff, count_nonzero, masked_select, bincount, histc.</summary>
public class StackingTests
{
    static Tensor Range(params long[] shape) => Torch.Arange(Shapes.Numel(shape), DType.Float64).Reshape(shape);

    [Fact]
    public void MeshgridIjAndXy()
    {
        var x = Doubles([1, 2, 3]);
        var y = Doubles([4, 5]);
        var ij = Torch.Meshgrid([x, y]);
        Assert.Equal([3L, 2], ij[0].Shape);
        Close([1, 1, 2, 2, 3, 3], ij[0]);
        Close([4, 5, 4, 5, 4, 5], ij[1]);
        var xy = Torch.Meshgrid([x, y], "xy");
        Assert.Equal([2L, 3], xy[0].Shape);
        Close([1, 2, 3, 1, 2, 3], xy[0]);
        Close([4, 4, 4, 5, 5, 5], xy[1]);
        Assert.Same(x.UntypedStorage, ij[0].UntypedStorage); // expanded views
        Assert.Equal("torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: ab",
            Assert.Throws<ArgumentException>(() => Torch.Meshgrid([x], "ab")).Message);
        Close([1, 4, 1, 5, 2, 4, 2, 5, 3, 4, 3, 5], Torch.CartesianProd(x, y));
        Assert.Equal([6L, 2], Torch.CartesianProd(x, y).Shape);
    }

    [Fact]
    public void TensorSplitBySectionsAndIndices()
    {
        var x = Range(7);
        var parts = x.TensorSplit(3);
        Assert.Equal([3L, 2, 2], parts.Select(p => p.Size(0)).ToArray());
        Close([3, 4], parts[1]);
        var at = Torch.TensorSplit(x, [1L, 4L]);
        Assert.Equal([1L, 3, 3], at.Select(p => p.Size(0)).ToArray());
        var clamped = x.TensorSplit([5L, 2L, 9L]);
        Assert.Equal([5L, 0, 5, 0], clamped.Select(p => p.Size(0)).ToArray());
        Assert.Equal([2L, 1], Range(2, 3).TensorSplit(2, 1).Select(p => p.Size(1)).ToArray());
        Assert.Equal(5, Range(3).TensorSplit(5).Length);
        Assert.Equal("number of sections must be larger than 0, got 0", Assert.Throws<ArgumentException>(() => x.TensorSplit(0)).Message);
    }

    [Fact]
    public void Stacks()
    {
        var a = Doubles([1, 2]);
        var b = Doubles([3, 4]);
        Close([1, 2, 3, 4], Torch.Hstack(a, b));
        Close([1, 2, 3, 4], Torch.Vstack(a, b));
        Assert.Equal([2L, 2], Torch.Vstack(a, b).Shape);
        Assert.Equal([2L, 2], Torch.RowStack(a, b).Shape);
        Assert.Equal([1L, 2, 2], Torch.Dstack(a, b).Shape);
        Close([1, 3, 2, 4], Torch.Dstack(a, b));
        Close([1, 3, 2, 4], Torch.ColumnStack(a, b));
        Assert.Equal([2L, 3], Torch.ColumnStack(Range(2, 2), a).Shape);
        Assert.Equal([2L, 4], Torch.Hstack(Range(2, 2), Range(2, 2)).Shape);
        Assert.Equal([2L], Torch.Hstack(Torch.Scalar(1.0), Torch.Scalar(2.0)).Shape);
    }

    [Fact]
    public void DiffTakesForwardDifferences()
    {
        var x = Doubles([1, 3, 6, 10]);
        Close([2, 3, 4], x.Diff());
        Close([1, 1], x.Diff(2));
        Close(x.ToArray<double>(), x.Diff(0));
        Close([1, 2, 3, 4, -10], x.Diff(1, 0, Doubles([0]), Doubles([0])));
        Close([3, 3, 3], Range(2, 3).Diff(1, 0));
        Assert.Equal([false, true], Torch.NewTensor(new[] { true, true, false }).Diff().ToArray<bool>());
        Assert.Equal("diff expects input to be at least one-dimensional", Assert.Throws<ArgumentException>(() => Torch.Scalar(1.0).Diff()).Message);
        Assert.Equal("order must be non-negative but got -1", Assert.Throws<ArgumentException>(() => x.Diff(-1)).Message);
        Assert.True(Torch.GradCheck(t => t[0].Diff(2, 1), [Torch.Randn([3, 5], DType.Float64, generator: new Generator(3)).RequiresGrad_()]));
    }

    [Fact]
    public void CountNonzeroAndMaskedSelect()
    {
        var x = Doubles([0, 1, 2, 0, 0, 3], 2, 3);
        Assert.Equal(3L, x.CountNonzero().Item<long>());
        Assert.Equal([0L, 1, 2], x.CountNonzero(0).ToArray<long>());
        Assert.Equal([2L, 1], Torch.CountNonzero(x, 1).ToArray<long>());
        Assert.Equal(DType.Int64, x.CountNonzero().DType);
        Close([1, 2, 3], x.MaskedSelect(x > 0));
        Close([0, 2, 0, 3], x.MaskedSelect(Torch.NewTensor(new[] { true, false, true }))); // mask broadcast over rows
        Close([0, 1, 2, 0, 1, 2], Range(3).MaskedSelect(Torch.Ones([2, 1], DType.Bool))); // input broadcast
        Close([0, 0, 1, 0, 2, 3], x.T().MaskedSelect(x.T() >= 0)); // row-major order of the transposed view
        Assert.Equal("masked_select: expected BoolTensor for mask", Assert.Throws<ArgumentException>(() => x.MaskedSelect(x)).Message);
        var leaf = Torch.Randn([2, 3], DType.Float64, generator: new Generator(5)).RequiresGrad_();
        var mask = Torch.NewTensor(new[] { true, false, true });
        Assert.Equal("MaskedSelectBackward0", leaf.MaskedSelect(mask).GradFn!.Name);
        Assert.True(Torch.GradCheck(t => t[0].MaskedSelect(mask), [leaf]));
        Assert.True(Torch.GradCheck(t => t[0].MaskedSelect(Torch.Ones([2, 2, 3], DType.Bool)), [leaf]));
    }

    [Fact]
    public void BincountAndHistc()
    {
        var x = Longs([0, 1, 1, 3]);
        Assert.Equal([1L, 2, 0, 1], x.Bincount().ToArray<long>());
        Assert.Equal([1L, 2, 0, 1, 0, 0], x.Bincount(minlength: 6).ToArray<long>());
        var weighted = x.Bincount(Torch.NewTensor(new[] { 0.5f, 1f, 1f, 2f }));
        Assert.Equal(DType.Float32, weighted.DType);
        Close([0.5, 2, 0, 2], weighted);
        Assert.Equal(DType.Float64, x.Bincount(Longs([1, 1, 1, 1])).DType);
        Assert.Equal([0L, 0], Longs([]).Bincount(minlength: 2).ToArray<long>());
        Assert.Equal("bincount only supports 1-d non-negative integral inputs.", Assert.Throws<ArgumentException>(() => Longs([1, -1]).Bincount()).Message);
        Assert.Equal("weights should be 1-d and have the same length as input", Assert.Throws<ArgumentException>(() => x.Bincount(Doubles([1]))).Message);
        Close([0, 2, 1, 0], Torch.Histc(Torch.NewTensor(new[] { 1f, 2f, 1f }), 4, 0, 3));
        Close([2, 0, 0, 1], Doubles([1, 1, 4, 9, -1]).Histc(4, 1, 4));
        Close([1, 0, 2], Doubles([2, 5, 5]).Histc(3)); // the data's range
        Assert.Equal(DType.Float32, Torch.Ones(3).Histc(2).DType);
        Assert.Equal("torch.histc: bins must be > 0, but got 0 for bins", Assert.Throws<ArgumentException>(() => Torch.Ones(3).Histc(0)).Message);
        Assert.Equal("torch.histc: max must be larger than min", Assert.Throws<ArgumentException>(() => Torch.Ones(3).Histc(2, 3, 1)).Message);
    }
}
