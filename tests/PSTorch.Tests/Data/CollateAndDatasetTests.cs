using PSTorch.Data;
using Xunit;

namespace PSTorch.Tests.Data;

public sealed class CollateAndDatasetTests
{
    [Fact]
    public void DefaultCollateStacksNestedStructures()
    {
        var samples = new object[]
        {
            new Dictionary<string, object> { ["x"] = Torch.Ones([2]), ["y"] = 1.5, ["pair"] = new object[] { 3, "a" } },
            new Dictionary<string, object> { ["x"] = Torch.Zeros([2]), ["y"] = 2.5, ["pair"] = new object[] { 4, "b" } },
        };
        var batch = (Dictionary<object, object>)Collate.Default(samples);
        Assert.Equal([2L, 2], ((Tensor)batch["x"]).Shape);
        Assert.Equal([1f, 1, 0, 0], ((Tensor)batch["x"]).ToArray<float>());
        Assert.Equal(DType.Float64, ((Tensor)batch["y"]).DType);
        Assert.Equal([1.5, 2.5], ((Tensor)batch["y"]).ToArray<double>());
        var pair = (object[])batch["pair"];
        Assert.Equal(DType.Int64, ((Tensor)pair[0]).DType);
        Assert.Equal([3L, 4], ((Tensor)pair[0]).ToArray<long>());
        Assert.Equal(["a", "b"], (string[])pair[1]);
        Assert.Equal([true, false], ((Tensor)Collate.Default([true, false])).ToArray<bool>());
    }

    [Fact]
    public void DefaultCollateRejectsMismatches()
    {
        Assert.Equal("each element in list of batch should be of equal size",
            Assert.Throws<ArgumentException>(() => Collate.Default([new object[] { 1, 2 }, new object[] { 1 }])).Message);
        Assert.StartsWith("stack expects each tensor to be equal size",
            Assert.Throws<ArgumentException>(() => Collate.Default([Torch.Ones([2]), Torch.Ones([3])])).Message);
        Assert.Contains("found System.Object", Assert.Throws<ArgumentException>(() => Collate.Default([new object()])).Message);
    }

    [Fact]
    public void ConcatDatasetChecksStructureAndIndexes()
    {
        var a = new TensorDataset(Torch.FromArray(new float[] { 0, 1, 2 }), Torch.FromArray(new long[] { 0, 1, 2 }));
        var empty = new TensorDataset(Torch.Zeros([0]), Torch.Zeros([0], DType.Int64));
        var b = new TensorDataset(Torch.FromArray(new float[] { 10, 11 }), Torch.FromArray(new long[] { 5, 6 }));
        var c = new ConcatDataset(a, empty, b);
        Assert.Equal(5, c.Count);
        Assert.Equal(11f, ((Tensor)((object[])c[4])[0]).Item<float>());
        Assert.Equal(2f, ((Tensor)((object[])c[2])[0]).Item<float>());
        Assert.Equal(10f, ((Tensor)((object[])c[-2])[0]).Item<float>());
        Assert.Throws<IndexOutOfRangeException>(() => c[5]);

        var other = new TensorDataset(Torch.FromArray(new float[] { 1 }));
        var e = Assert.Throws<ArgumentException>(() => new ConcatDataset(a, other));
        Assert.Contains("(Tensor(float32, 0-d))", e.Message);
        Assert.Contains("(Tensor(float32, 0-d), Tensor(int64, 0-d))", e.Message);
        Assert.Equal("datasets should not be an empty iterable", Assert.Throws<ArgumentException>(() => new ConcatDataset()).Message);
    }

    [Fact]
    public void RandomSplitByLengthsAndFractions()
    {
        var ds = new TensorDataset(Torch.Zeros([10]));
        var parts = Dataset.RandomSplit(ds, new long[] { 3, 7 }, new Generator(1));
        Assert.Equal([3, 7], parts.Select(p => p.Count));
        Assert.Equal(Enumerable.Range(0, 10), parts.SelectMany(p => p.Indices).Order());
        var again = Dataset.RandomSplit(ds, new long[] { 3, 7 }, new Generator(1));
        Assert.Equal(parts[0].Indices, again[0].Indices);

        var fractions = Dataset.RandomSplit(ds, [0.25, 0.25, 0.5], new Generator(2));
        Assert.Equal([3, 2, 5], fractions.Select(p => p.Count));
        Assert.Equal("Sum of input lengths does not equal the length of the input dataset!",
            Assert.Throws<ArgumentException>(() => Dataset.RandomSplit(ds, new long[] { 3, 3 })).Message);
    }

    [Fact]
    public void TensorDatasetRejectsMismatchedSizes()
    {
        Assert.Equal("Size mismatch between tensors", Assert.Throws<ArgumentException>(() => new TensorDataset(Torch.Zeros([3]), Torch.Zeros([4]))).Message);
    }

    [Fact]
    public void SamplersFollowPyTorch()
    {
        Assert.Equal([0, 1, 2, 3], new SequentialSampler(4));
        var perm = new RandomSampler(20, generator: new Generator(3)).ToArray();
        Assert.Equal(Enumerable.Range(0, 20), perm.Order());
        var chained = new RandomSampler(5, numSamples: 12, generator: new Generator(3)).ToArray();
        Assert.Equal(12, chained.Length);
        Assert.Equal(Enumerable.Range(0, 5), chained.Take(5).Order());
        Assert.Equal(Enumerable.Range(0, 5), chained.Skip(5).Take(5).Order());
        var drawn = new RandomSampler(3, replacement: true, numSamples: 100, generator: new Generator(4)).ToArray();
        Assert.Equal(100, drawn.Length);
        Assert.All(drawn, i => Assert.InRange(i, 0, 2));
        Assert.Equal("num_samples should be a positive integer value, but got num_samples=0",
            Assert.Throws<ArgumentException>(() => new RandomSampler(3, numSamples: 0)).Message);
        var subset = new SubsetRandomSampler([7, 8, 9], new Generator(1)).ToArray();
        Assert.Equal([7, 8, 9], subset.Order());
        Assert.Equal([[0, 1, 2], [3, 4]], new BatchSampler(new SequentialSampler(5), 3, false));
        Assert.Equal([[0, 1, 2]], new BatchSampler(new SequentialSampler(5), 3, true));
    }

    [Fact]
    public void WeightedSamplerWithoutReplacementErrors()
    {
        Assert.Equal("cannot sample n_sample > prob_dist.size(-1) samples without replacement",
            Assert.Throws<ArgumentException>(() => new WeightedRandomSampler([1, 0, 1], 3, replacement: false)).Message);
        Assert.Equal("probability tensor contains either `inf`, `nan` or element < 0",
            Assert.Throws<ArgumentException>(() => new WeightedRandomSampler([1, -1], 1)).Message);
        Assert.StartsWith("weights should be a 1d sequence",
            Assert.Throws<ArgumentException>(() => new WeightedRandomSampler(Torch.Ones([2, 2]), 1)).Message);
        var zeroNeverDrawn = new WeightedRandomSampler([1, 0, 3], 1000, generator: new Generator(5)).ToArray();
        Assert.DoesNotContain(1, zeroNeverDrawn);
        Assert.Equal([0, 2], new WeightedRandomSampler([1, 0, 3], 2, replacement: false, generator: new Generator(5)).Order());
    }
}
