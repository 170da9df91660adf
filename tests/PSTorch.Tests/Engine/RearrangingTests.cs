using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>tile, swapaxes/swapdims, moveaxis, take_along_dim, argwhere, heaviside, logspace, tril/triu_indices.</summary>
public class RearrangingTests
{
    static Tensor Grid(long rows, long cols) => Torch.Arange(rows * cols, DType.Float64).Reshape(rows, cols);

    [Fact]
    public void TilePadsRepsWithLeadingOnes()
    {
        var x = Grid(2, 3);
        Assert.True(x.Tile(2).Equal(x.Repeat(1, 2)));
        Assert.True(x.Tile(2, 1, 1).Equal(x.Repeat(2, 1, 1)));
        Assert.Equal(new long[] { 2, 6 }, Torch.Tile(x, 2).Shape);
        TensorAssert.Close([1, 2, 1, 2, 1, 2], Torch.Tile(TensorAssert.Doubles([1, 2]), 3));
        var leaf = TensorAssert.Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.True(Torch.GradCheck(t => t[0].T().Tile(2), [leaf]));
    }

    [Fact]
    public void SwapaxesSwapdimsAndMoveaxisAreTheirAliases()
    {
        var x = Torch.Arange(24).Reshape(2, 3, 4);
        Assert.True(x.Swapaxes(0, 2).Equal(x.Transpose(0, 2)));
        Assert.True(Torch.Swapdims(x, 1, -1).Equal(x.Transpose(1, 2)));
        Assert.True(Torch.Moveaxis(x, 0, -1).Equal(x.Movedim(0, 2)));
        Assert.Equal(new long[] { 3, 4, 2 }, x.Moveaxis(0, 2).Shape);
    }

    [Fact]
    public void TakeAlongDimGathersWithBroadcasting()
    {
        var x = TensorAssert.Doubles([10, 30, 20, 60, 50, 40], 2, 3);
        var maxAt = x.Argmax(1, keepDim: true);
        TensorAssert.Close([30, 60], x.TakeAlongDim(maxAt, 1));
        TensorAssert.Close([10, 20, 30, 40, 50, 60], x.TakeAlongDim(x.Argsort(1), 1).Reshape(-1).Sort().Values);
        TensorAssert.Close([60, 10], Torch.TakeAlongDim(x, TensorAssert.Longs([3, 0])));
        // indices [1, 2] broadcast over the 2 rows of x
        TensorAssert.Close([20, 30, 40, 50], x.TakeAlongDim(TensorAssert.Longs([2, 1], 1, 2), 1));
        // x with one row broadcasts over the 2 index rows
        TensorAssert.Close([30, 10, 20, 20], x.Narrow(0, 0, 1).TakeAlongDim(TensorAssert.Longs([1, 0, 2, 2], 2, 2), 1));
        Assert.Equal("torch.take_along_dim(): dtype of indices should be Long but got Float",
            Assert.Throws<ArgumentException>(() => x.TakeAlongDim(Torch.Zeros(2, 1), 1)).Message);
        Assert.Equal("torch.take_along_dim(): input and indices should have the same number of dimensions, but got 2 dimensions for input, and 1 dimensions for indices",
            Assert.Throws<ArgumentException>(() => x.TakeAlongDim(TensorAssert.Longs([0]), 1)).Message);
        var leaf = TensorAssert.Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.True(Torch.GradCheck(t => t[0].T().TakeAlongDim(TensorAssert.Longs([1, 1, 0], 3, 1), 1), [leaf]));
    }

    [Fact]
    public void ArgwhereListsNonzeroCoordinatesRowMajor()
    {
        var x = TensorAssert.Doubles([0, 1.5, 0, -2, 0, double.NaN], 2, 3);
        var coordinates = Torch.Argwhere(x);
        Assert.Equal(DType.Int64, coordinates.DType);
        Assert.Equal(new long[] { 0, 1, 1, 0, 1, 2 }, coordinates.ToArray<long>());
        Assert.Equal(new long[] { 3, 2 }, coordinates.Shape);
        Assert.Equal(new long[] { 0, 1 }, x.T().Argwhere().Select(1, 0).ToArray<long>().Take(2).ToArray());
        Assert.Equal(new long[] { 0, 1 }, Torch.Zeros(4).Argwhere().Shape);
        Assert.Equal(new long[] { 1, 0 }, Torch.Scalar(3.0).Argwhere().Shape);
    }

    [Fact]
    public void HeavisideTakesValuesAtZero()
    {
        var x = TensorAssert.Doubles([-1.5, 0, 2, 0]);
        TensorAssert.Close([0, 0.5, 1, 7], x.Heaviside(TensorAssert.Doubles([0.5, 0.5, 0.5, 7])));
        TensorAssert.Close([0, 0.25, 1, 0.25], Torch.Heaviside(x, Torch.Scalar(0.25).To(DType.Float64)));
        var target = x.Clone();
        Assert.Same(target, target.Heaviside_(TensorAssert.Doubles([3])));
        TensorAssert.Close([0, 3, 1, 3], target);
        var ints = TensorAssert.Longs([-3, 0, 5]).Heaviside(TensorAssert.Longs([9]));
        Assert.Equal(DType.Int64, ints.DType);
        Assert.Equal(new long[] { 0, 9, 1 }, ints.ToArray<long>());
        Assert.Equal("heaviside is not yet implemented for tensors with different dtypes",
            Assert.Throws<InvalidOperationException>(() => x.Heaviside(Torch.Ones(1))).Message);
    }

    [Fact]
    public void LogspaceRaisesTheBaseToEvenlySpacedExponents()
    {
        var t = Torch.Logspace(-1, 2, 4);
        Assert.Equal(DType.Float32, t.DType);
        TensorAssert.Close([0.1, 1, 10, 100], t);
        TensorAssert.Close([1, 2, 4, 8, 16], Torch.Logspace(0, 4, 5, 2, DType.Float64));
        Assert.Equal(0, Torch.Logspace(0, 1, 0).Numel());
        Assert.Throws<ArgumentException>(() => Torch.Logspace(0, 1, -1));
    }

    [Theory]
    [InlineData(4, 3, 0)]
    [InlineData(3, 5, 1)]
    [InlineData(3, 5, -1)]
    [InlineData(5, 2, 3)]
    [InlineData(0, 4, 0)]
    public void TriangleIndicesListTheTriangleRowByRow(long rows, long cols, long offset)
    {
        var lower = new List<long>[] { new(), new() };
        var upper = new List<long>[] { new(), new() };
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < cols; c++)
            {
                if (c - r <= offset) { lower[0].Add(r); lower[1].Add(c); }
                if (c - r >= offset) { upper[0].Add(r); upper[1].Add(c); }
            }
        var tril = Torch.TrilIndices(rows, cols, offset);
        var triu = Torch.TriuIndices(rows, cols, offset, DType.Int32);
        Assert.Equal(DType.Int64, tril.DType);
        Assert.Equal(DType.Int32, triu.DType);
        Assert.Equal(new long[] { 2, lower[0].Count }, tril.Shape);
        Assert.Equal(lower[0].Concat(lower[1]), tril.ToArray<long>());
        Assert.Equal(upper[0].Concat(upper[1]).Select(v => (int)v), triu.ToArray<int>());
    }

    [Fact]
    public void TriangleIndicesRejectNegativeSizes()
    {
        Assert.Equal("row must be non-negative, got-1", Assert.Throws<ArgumentException>(() => Torch.TrilIndices(-1, 2)).Message);
        Assert.Equal("col must be non-negative, got-2", Assert.Throws<ArgumentException>(() => Torch.TriuIndices(1, -2)).Message);
    }

    [Fact]
    public void NonzeroAndWhereOfACondition_GiveTheCoordinates()
    {
        var x = Torch.NewTensor(new[,] { { 0.0, 2.0, 0.0 }, { -1.0, 0.0, 3.0 } }).To(DType.Float64);
        Assert.Equal(new long[] { 0, 1, 1, 0, 1, 2 }, x.Nonzero().ToArray<long>());
        Assert.Equal(new long[] { 3, 2 }, Torch.Nonzero(x).Shape);
        var (rows, cols) = (Torch.Where(x > 0)[0], Torch.Where(x > 0)[1]);
        Assert.Equal(new long[] { 0, 1 }, rows.ToArray<long>());
        Assert.Equal(new long[] { 1, 2 }, cols.ToArray<long>());
        Assert.Equal(new[] { 2.0, 3.0 }, x.Index(Torch.Where(x > 0)).ToArray<double>());
        Assert.Equal(new long[] { 0 }, Assert.Single(Torch.Where(Torch.NewTensor(true))).ToArray<long>());
        Assert.Equal(new long[] { 0, 2 }, Torch.Nonzero(Torch.Zeros(0, 2)).Shape);
    }

    [Fact]
    public void AZeroDimTensor_ViewsAsOneElement_SharingItsStorage()
    {
        var scalar = Torch.NewTensor(3.0);
        var v = scalar.View(-1);
        Assert.Equal(new long[] { 1 }, v.Shape);
        v[0] = 5;
        Assert.Equal(5f, scalar.Item<float>());
        Assert.Equal(new long[] { 1, 1 }, scalar.Reshape(1, 1).Shape);
    }
}
