using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

/// <summary>
/// sort/argsort/msort, topk, kthvalue, median/nanmedian, mode, unique, searchsorted and bucketize against plain
/// references: LINQ's stable OrderBy under PyTorch's order (NaN above every number, -0.0 equal to 0.0).
/// </summary>
public class SortingTests
{
    /// <summary>PyTorch's sort order; doubles' own CompareTo puts NaN first, so the reference needs its own.</summary>
    sealed class NaNLast : IComparer<double>
    {
        public static readonly NaNLast Instance = new();
        public int Compare(double a, double b) =>
            double.IsNaN(a) || double.IsNaN(b) ? double.IsNaN(a).CompareTo(double.IsNaN(b)) : a < b ? -1 : a > b ? 1 : 0;
    }

    static long[] StableOrder(double[] row, bool descending)
    {
        var positions = Enumerable.Range(0, row.Length).Select(i => (long)i);
        return (descending ? positions.OrderByDescending(i => row[i], NaNLast.Instance) : positions.OrderBy(i => row[i], NaNLast.Instance)).ToArray();
    }

    /// <summary>x's rows along dim (dim moved last) as doubles.</summary>
    static double[][] RowsAlong(Tensor x, int dim)
    {
        var moved = x.NDim == 0 ? x.Reshape(1, 1) : x.Movedim(dim, -1).Contiguous();
        long n = moved.Shape[^1];
        var flat = moved.To(DType.Float64).ToArray<double>();
        return n == 0 ? [] : flat.Chunk((int)n).ToArray();
    }

    static long[][] IndexRowsAlong(Tensor indices, int dim) =>
        RowsAlong(indices, dim).Select(r => r.Select(v => (long)v).ToArray()).ToArray();

    /// <summary>Integers in [-3, 3] (many ties) in dtype; floating dtypes also get NaNs, a -0.0 and a 0.0.</summary>
    static Tensor TiedValues(long[] shape, DType dtype, int seed)
    {
        var values = Torch.Randint(-3, 4, shape, DType.Int64, generator: new Generator(seed)).To(DType.Float64).ToArray<double>();
        if (dtype.IsFloatingPoint())
        {
            var random = new Random(seed);
            for (int i = 0; i < values.Length; i++)
            {
                int draw = random.Next(12);
                if (draw == 0) values[i] = double.NaN;
                else if (draw == 1) values[i] = -0.0;
                else if (draw == 2) values[i] = 0.5 * values[i] + 0.25;
            }
        }
        return Torch.FromArray(values, shape).To(dtype);
    }

    static void AssertSortedLike(Tensor x, int dim, bool descending, ValuesAndIndices result)
    {
        Assert.Equal(x.Shape, result.Values.Shape);
        Assert.Equal(x.DType, result.Values.DType);
        Assert.Equal(DType.Int64, result.Indices.DType);
        var rows = RowsAlong(x, dim);
        var values = RowsAlong(result.Values, dim);
        var indices = IndexRowsAlong(result.Indices, dim);
        for (int r = 0; r < rows.Length; r++)
        {
            var expected = StableOrder(rows[r], descending);
            Assert.Equal(expected, indices[r]);
            for (int j = 0; j < expected.Length; j++)
            {
                double want = rows[r][expected[j]], got = values[r][j];
                Assert.True(want.Equals(got) && double.IsNegative(want) == double.IsNegative(got), $"row {r} position {j}: expected {want:R}, got {got:R}");
            }
        }
    }

    [Theory]
    [InlineData(DType.Float32, false)]
    [InlineData(DType.Float32, true)]
    [InlineData(DType.Float64, false)]
    [InlineData(DType.Float64, true)]
    [InlineData(DType.Int64, false)]
    [InlineData(DType.Int64, true)]
    [InlineData(DType.Float16, true)]
    [InlineData(DType.Int32, false)]
    public void SortMatchesTheStableReferenceAlongEveryDim(DType dtype, bool descending)
    {
        var x = TiedValues([4, 5, 6], dtype, seed: 7);
        for (int dim = -3; dim < 3; dim++)
        {
            AssertSortedLike(x, dim, descending, x.Sort(dim, descending));
            Assert.Equal(x.Sort(dim, descending).Indices.ToArray<long>(), x.Argsort(dim, descending, stable: true).ToArray<long>());
        }
    }

    [Fact]
    public void SortOfNonContiguousInputs()
    {
        var transposed = TiedValues([6, 5], DType.Float32, seed: 3).T();
        AssertSortedLike(transposed, 1, false, transposed.Sort(1));
        var sliced = TiedValues([4, 12], DType.Float64, seed: 4).Slice(1, 1, 12, 3);
        AssertSortedLike(sliced, -1, true, sliced.Sort(descending: true));
        var expanded = TiedValues([1, 7], DType.Int64, seed: 5).Expand(3, 7);
        AssertSortedLike(expanded, 1, false, expanded.Sort());
    }

    [Fact]
    public void NaNSortsLastAscendingAndFirstDescendingAndNegativeZeroTiesWithZero()
    {
        var x = Doubles([double.NaN, 1, -0.0, double.NegativeInfinity, 0.0, double.NaN, double.PositiveInfinity]);
        var up = x.Sort();
        Close([double.NegativeInfinity, -0.0, 0.0, 1, double.PositiveInfinity, double.NaN, double.NaN], up.Values);
        Assert.Equal([3L, 2, 4, 1, 6, 0, 5], up.Indices.ToArray<long>());
        Assert.True(double.IsNegative(up.Values.ToArray<double>()[1]));
        var down = x.Sort(descending: true);
        Assert.Equal([0L, 5, 6, 1, 2, 4, 3], down.Indices.ToArray<long>());
    }

    [Fact]
    public void LongRowsSplitOverThreadsStillSortStably()
    {
        var x = Torch.Randint(0, 50, [64, 1500], DType.Int64, generator: new Generator(11)).To(DType.Float32);
        AssertSortedLike(x, 1, false, x.Sort(1));
        AssertSortedLike(x, 0, true, x.Sort(0, descending: true));
    }

    [Fact]
    public void EmptyAndZeroDimensionalSorts()
    {
        var empty = Torch.Zeros([3, 0]);
        var r = empty.Sort(1);
        Assert.Equal([3L, 0], r.Values.Shape);
        Assert.Equal([3L, 0], r.Indices.Shape);
        Assert.Equal([0L, 4], Torch.Zeros([0, 4]).Sort(0).Values.Shape);

        var scalar = Torch.NewTensor(2.5);
        var s = scalar.Sort();
        Assert.Empty(s.Values.Shape);
        Assert.Equal(2.5, s.Values.Item<double>());
        Assert.Equal(0L, s.Indices.Item<long>());
        Assert.Equal(0L, scalar.Argsort(0).Item<long>());
        var e = Assert.Throws<IndexOutOfRangeException>(() => scalar.Sort(1));
        Assert.Equal("Dimension out of range (expected to be in range of [-1, 0], but got 1)", e.Message);
    }

    [Fact]
    public void MsortSortsAlongTheFirstDim()
    {
        var x = TiedValues([5, 3], DType.Float32, seed: 9);
        Assert.Equal(x.Sort(0).Values.ToArray<float>(), Torch.Msort(x).ToArray<float>());
        Assert.Equal("SortBackward0", Torch.Msort(x.RequiresGrad_()).GradFn!.Name);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TopkTakesTheFirstKOfTheStableOrder(bool largest)
    {
        var x = TiedValues([3, 8], DType.Float64, seed: 13);
        var rows = RowsAlong(x, 1);
        var top = x.Topk(3, largest: largest);
        Assert.Equal([3L, 3], top.Values.Shape);
        var indices = IndexRowsAlong(top.Indices, 1);
        var values = RowsAlong(top.Values, 1);
        for (int r = 0; r < rows.Length; r++)
        {
            var expected = StableOrder(rows[r], descending: largest).Take(3).ToArray();
            Assert.Equal(expected, indices[r]);
            Close(expected.Select(i => rows[r][i]).ToArray(), Doubles(values[r]));
        }
        var along0 = x.Topk(2, dim: 0, largest: largest);
        Assert.Equal([2L, 8], along0.Values.Shape);
        Assert.Equal(x.Sort(0, descending: largest).Indices.Narrow(0, 0, 2).ToArray<long>(), along0.Indices.ToArray<long>());
        Assert.Equal([3L, 0], x.Topk(0).Values.Shape);
    }

    [Fact]
    public void TopkRejectsKOutOfRange()
    {
        var x = Torch.Zeros([2, 4]);
        Assert.Equal("selected index k out of range", Assert.Throws<ArgumentException>(() => x.Topk(5)).Message);
        Assert.Equal("selected index k out of range", Assert.Throws<ArgumentException>(() => x.Topk(-1)).Message);
        Assert.Equal("selected index k out of range", Assert.Throws<ArgumentException>(() => Torch.NewTensor(1.0).Topk(2)).Message);
        Assert.Equal(1.0, Torch.NewTensor(1.0).Topk(1).Values.Item<double>());
    }

    [Fact]
    public void KthvalueIsTheKthOfTheAscendingOrder()
    {
        var x = Doubles([3, 1, 2, 1, 5, 4, 4, 0, -1, 7, 7, 6], 3, 4);
        var k2 = x.Kthvalue(2);
        Close([1, 4, 6], k2.Values);
        Assert.Equal([3L, 1, 3], k2.Indices.ToArray<long>());
        var keep = x.Kthvalue(3, 0, keepDim: true);
        Assert.Equal([1L, 4], keep.Values.Shape);
        Close([5, 7, 7, 6], keep.Values);
        Assert.Equal([1L, 2, 2, 2], keep.Indices.ToArray<long>());
        Assert.Equal("kthvalue(): selected number k out of range for dimension 1",
            Assert.Throws<ArgumentException>(() => x.Kthvalue(5)).Message);
        Assert.Equal("kthvalue(): selected number k out of range for dimension 0",
            Assert.Throws<ArgumentException>(() => x.Kthvalue(0, 0)).Message);
        Assert.Equal("kthvalue(): Expected reduction dim 1 to have non-zero size.",
            Assert.Throws<IndexOutOfRangeException>(() => Torch.Zeros([2, 0]).Kthvalue(1)).Message);
    }

    [Fact]
    public void MedianIsTheLowerMedianAndPropagatesTheFirstNaN()
    {
        var x = Doubles([4, 1, 3, 2, 5, double.NaN, 1, double.NaN, 2, 2, 9, 2], 3, 4);
        var m = x.Median(1);
        Close([2, double.NaN, 2], m.Values);
        Assert.Equal([3L, 1, 1], m.Indices.ToArray<long>());
        var nm = x.Nanmedian(1);
        Close([2, 1, 2], nm.Values);
        Assert.Equal([3L, 2, 1], nm.Indices.ToArray<long>());
        Assert.Equal([3L, 1], x.Median(-1, keepDim: true).Values.Shape);

        Assert.True(double.IsNaN(x.Median().Item<double>()));
        Assert.Equal(2.0, x.Nanmedian().Item<double>());
        Assert.Equal(2L, Longs([5, 1, 2, 9]).Median().Item<long>());
        Assert.True(double.IsNaN(Torch.Zeros([0]).Median().Item<float>()));
        var allNaN = Doubles([double.NaN, double.NaN]).Nanmedian(0);
        Assert.True(double.IsNaN(allNaN.Values.Item<double>()));
        Assert.Equal(0L, allNaN.Indices.Item<long>());
        Assert.Equal("median(): Expected reduction dim 0 to have non-zero size.",
            Assert.Throws<IndexOutOfRangeException>(() => Torch.Zeros([0, 3]).Median(0)).Message);
    }

    [Fact]
    public void ModeIsTheSmallestMostFrequentValueAtItsLastIndex()
    {
        var x = Longs([3, 1, 3, 1, 2, 5, 5, 7, 7, 0, 4, 4], 3, 4);
        var m = x.Mode(1);
        Assert.Equal([1L, 5, 4], m.Values.ToArray<long>());
        Assert.Equal([3L, 2, 3], m.Indices.ToArray<long>());
        var keep = Doubles([1, 2, 2, 1, 2, 1], 2, 3).Mode(0, keepDim: true);
        Assert.Equal([1L, 3], keep.Values.Shape);
        Close([1, 2, 1], keep.Values);
        Assert.Equal([1L, 1, 1], keep.Indices.ToArray<long>());
    }

    [Fact]
    public void UniqueGivesSortedValuesInverseAndCounts()
    {
        var x = Longs([3, 1, 3, 2, 1, 3], 2, 3);
        var u = x.Unique(returnInverse: true, returnCounts: true);
        Assert.Equal([1L, 2, 3], u.Values.ToArray<long>());
        Assert.Equal([2L, 3], u.Inverse!.Shape);
        Assert.Equal([2L, 0, 2, 1, 0, 2], u.Inverse.ToArray<long>());
        Assert.Equal([2L, 1, 3], u.Counts!.ToArray<long>());
        Assert.Null(x.Unique().Inverse);
        Assert.Null(x.Unique().Counts);

        var withNaN = Torch.Unique(Doubles([2, double.NaN, 2, double.NaN, -0.0, 0.0]), returnCounts: true);
        Close([0, 2, double.NaN, double.NaN], withNaN.Values);
        Assert.Equal([2L, 2, 1, 1], withNaN.Counts!.ToArray<long>());

        var empty = Torch.Zeros([0, 2]).Unique(returnInverse: true, returnCounts: true);
        Assert.Equal([0L], empty.Values.Shape);
        Assert.Equal([0L, 2], empty.Inverse!.Shape);
        Assert.Equal([0L], empty.Counts!.Shape);
    }

    [Fact]
    public void UniqueAlongADimComparesWholeSlices()
    {
        var x = Longs([1, 3, 1, 2, 0, 2, 1, 3, 1], 3, 3);
        var rows = x.Unique(returnInverse: true, returnCounts: true, dim: 0);
        Assert.Equal([2L, 3], rows.Values.Shape);
        Assert.Equal([1L, 3, 1, 2, 0, 2], rows.Values.ToArray<long>());
        Assert.Equal([0L, 1, 0], rows.Inverse!.ToArray<long>());
        Assert.Equal([2L, 1], rows.Counts!.ToArray<long>());
        var columns = x.Unique(dim: 1);
        Assert.Equal([3L, 2], columns.Values.Shape);
        Assert.Equal([1L, 3, 2, 0, 1, 3], columns.Values.ToArray<long>());
    }

    [Fact]
    public void UniqueConsecutiveCollapsesRuns()
    {
        var x = Longs([1, 1, 2, 2, 3, 1, 1, 2]);
        var u = x.UniqueConsecutive(returnInverse: true, returnCounts: true);
        Assert.Equal([1L, 2, 3, 1, 2], u.Values.ToArray<long>());
        Assert.Equal([0L, 0, 1, 1, 2, 3, 3, 4], u.Inverse!.ToArray<long>());
        Assert.Equal([2L, 2, 1, 2, 1], u.Counts!.ToArray<long>());
        var rows = Longs([1, 2, 1, 2, 3, 4, 1, 2], 4, 2).UniqueConsecutive(returnCounts: true, dim: 0);
        Assert.Equal([1L, 2, 3, 4, 1, 2], rows.Values.ToArray<long>());
        Assert.Equal([2L, 1, 1], rows.Counts!.ToArray<long>());
    }

    [Fact]
    public void SearchsortedFindsLeftAndRightInsertionPoints()
    {
        var seq = Doubles([1, 3, 5, 7, 9]);
        var values = Doubles([3, 6, 9, 0, 10, double.NaN], 2, 3);
        var left = Torch.Searchsorted(seq, values);
        Assert.Equal(DType.Int64, left.DType);
        Assert.Equal([2L, 3], left.Shape);
        Assert.Equal([1L, 3, 4, 0, 5, 5], left.ToArray<long>());
        Assert.Equal([2L, 3, 5, 0, 5, 5], Torch.Searchsorted(seq, values, right: true).ToArray<long>());
        Assert.Equal([2L, 3, 5, 0, 5, 5], Torch.Searchsorted(seq, values, side: "right").ToArray<long>());
        var int32 = Torch.Searchsorted(seq, values, outInt32: true);
        Assert.Equal(DType.Int32, int32.DType);
        Assert.Equal([1, 3, 4, 0, 5, 5], int32.ToArray<int>());
        Assert.Equal(2L, Torch.Searchsorted(seq, 4.0).Item<long>());

        var perRow = Torch.Searchsorted(Longs([1, 2, 3, 10, 20, 30], 2, 3), Longs([2, 25], 2, 1));
        Assert.Equal([1L, 2], perRow.ToArray<long>());
        Assert.Equal([1L, 2], Torch.Searchsorted(Longs([1, 2, 3]), Doubles([1.5, 2.5])).ToArray<long>());
    }

    [Fact]
    public void SearchsortedErrorsAreTorchs()
    {
        var seq = Doubles([1, 2, 3]);
        Assert.Equal("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True",
            Assert.Throws<ArgumentException>(() => Torch.Searchsorted(seq, seq, right: true, side: "left")).Message);
        Assert.Equal("torch.searchsorted(): side can only be 'left' or 'right' but got middle",
            Assert.Throws<ArgumentException>(() => Torch.Searchsorted(seq, seq, side: "middle")).Message);
        Assert.Equal("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor " +
            "must match, but we got boundaries tensor [2, 3] and input value tensor [3, 3]",
            Assert.Throws<ArgumentException>(() => Torch.Searchsorted(Torch.Zeros([2, 3]), Torch.Zeros([3, 3]))).Message);
        Assert.Equal("boundaries tensor must be 1 dimension, but got dim(2)",
            Assert.Throws<ArgumentException>(() => Torch.Bucketize(seq, Torch.Zeros([2, 3]))).Message);
    }

    [Fact]
    public void BucketizeIsSearchsortedWithTheArgumentsSwapped()
    {
        var boundaries = Longs([1, 3, 5, 7, 9]);
        var input = Longs([3, 6, 9, 3, 6, 9], 2, 3);
        Assert.Equal([1L, 3, 4, 1, 3, 4], Torch.Bucketize(input, boundaries).ToArray<long>());
        Assert.Equal([2L, 3, 5, 2, 3, 5], Torch.Bucketize(input, boundaries, right: true).ToArray<long>());
    }

    [Fact]
    public void GradFnNames()
    {
        var x = Leaf([3, 1, 2, 5, 4, 0], 2, 3);
        Assert.Equal("SortBackward0", x.Sort().Values.GradFn!.Name);
        Assert.Equal("TopkBackward0", x.Topk(2).Values.GradFn!.Name);
        Assert.Equal("KthvalueBackward0", x.Kthvalue(2).Values.GradFn!.Name);
        Assert.Equal("MedianBackward0", x.Median().GradFn!.Name);
        Assert.Equal("MedianBackward1", x.Median(1).Values.GradFn!.Name);
        Assert.Equal("NanmedianBackward0", x.Nanmedian().GradFn!.Name);
        Assert.Equal("NanmedianBackward1", x.Nanmedian(0).Values.GradFn!.Name);
        Assert.Equal("ModeBackward0", x.Mode(1).Values.GradFn!.Name);
        Assert.Null(x.Sort().Indices.GradFn);
        Assert.False(x.Argsort().RequiresGrad);
    }

    static Tensor DistinctLeaf(params long[] shape) =>
        Torch.Randperm(Count(shape), generator: new Generator(17)).To(DType.Float64).Mul(0.37).Sub(2.0).Reshape(shape).RequiresGrad_();

    static long Count(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    [Fact]
    public void GradientsFlowToTheSelectedElements()
    {
        var x = DistinctLeaf(3, 4, 5);
        Assert.True(Torch.GradCheck(t => t[0].Sort(1, descending: true).Values * Torch.Arange(20.0, dtype: DType.Float64).Reshape(4, 5), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Topk(2, 0).Values, [x]));
        Assert.True(Torch.GradCheck(t => t[0].Kthvalue(3, -1, keepDim: true).Values, [x]));
        Assert.True(Torch.GradCheck(t => t[0].Median(1).Values, [x]));
        Assert.True(Torch.GradCheck(t => t[0].Nanmedian(2, keepDim: true).Values, [x]));
        Assert.True(Torch.GradCheck(t => t[0].Median(), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Nanmedian(), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Msort(), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Mode(0).Values, [x]));
    }

    [Fact]
    public void SortGradientScattersThroughTheIndices()
    {
        var x = Leaf([3, 1, 2]);
        x.Sort().Values.Mul(Doubles([10, 20, 30])).Sum().Backward();
        Close([30, 10, 20], x.Grad!);
        var scalar = Torch.NewTensor(2.0).RequiresGrad_();
        scalar.Sort().Values.Backward();
        Assert.Equal(1.0, scalar.Grad!.Item<double>());
    }
}
