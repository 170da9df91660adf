using PSTorch.Data;
using Xunit;

namespace PSTorch.Tests.Data;

/// <summary>The seed notes' examples.</summary>
public sealed class SeedNotesTests : IDisposable
{
    readonly TestFolders folders = new();

    public void Dispose() => folders.Dispose();

    [Fact]
    public void ImageFolderOfFashionPngs()
    {
        var ds = new ImageFolder(folders.FashionFolder(perClass: 12));
        Assert.Equal(120, ds.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"class{i}"), ds.Classes);
        Assert.Equal(3, ds.ClassToIdx["class3"]);

        var subset = new Subset(ds, Enumerable.Range(0, 100));
        Assert.Equal(100, subset.Count);
        var sample = (object[])subset[0];
        var image = (Tensor)sample[0];
        Assert.Equal([1L, 28, 28], image.Shape);
        Assert.Equal(DType.Float32, image.DType);
        Assert.Equal(0L, sample[1]);

        var twice = new ConcatDataset(ds, ds);
        Assert.Equal(240, twice.Count);
        Assert.Equal(9L, ((object[])twice[239])[1]);
    }

    [Fact]
    public void ImageFolderPixelsRoundTripThroughPng()
    {
        var ds = new ImageFolder(folders.FashionFolder(perClass: 1));
        var sample = FashionMnistSample.Load(train: false);
        int first = Enumerable.Range(0, sample.Count).First(i => sample.Targets[i] == 0);
        var expected = ((Tensor)((object[])sample[first])[0]).ToArray<float>();
        Assert.Equal(expected, ((Tensor)((object[])ds[0])[0]).ToArray<float>());
    }

    [Fact]
    public void TensorDatasetThroughShufflingLoader()
    {
        var ds = new TensorDataset(Torch.Randn([1000, 1, 28, 28]), Torch.Randint(0, 10, [1000]));
        Assert.Equal(1000, ds.Count);
        var loader = new DataLoader(ds, batchSize: 32, shuffle: true, seed: 1);
        Assert.Equal(32, loader.Count);
        var batches = loader.ToList();
        Assert.Equal(32, batches.Count);
        Assert.Equal([32L, 1, 28, 28], ((Tensor)batches[0].Inputs).Shape);
        Assert.Equal([32L], ((Tensor)batches[0].Targets!).Shape);
        Assert.Equal([8L, 1, 28, 28], ((Tensor)batches[^1].Inputs).Shape);
        var order = batches.SelectMany(b => b.Indices).ToArray();
        Assert.Equal(Enumerable.Range(0, 1000), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), order);
        // The batch holds the rows of the sampled indices.
        Assert.Equal(((Tensor)((object[])ds[order[0]])[0]).ToArray<float>(), ((Tensor)batches[0].Inputs).Select(0, 0).ToArray<float>());
    }

    [Fact]
    public void CorruptImageRaisesNamingTheFile()
    {
        var (folder, corrupt) = folders.DogCatFolder();
        var ds = new ImageFolder(folder);
        Assert.Equal(9, ds.Count);
        var loader = new DataLoader(ds, batchSize: 2);
        var e = Assert.Throws<SampleLoadException>(() => loader.ToList());
        Assert.Contains(corrupt, e.Message);
        Assert.Equal(2, e.Index);
        Assert.Contains("sample 2", e.Message);
    }

    /// <summary>The seed notes' order: the corrupt file lands in the second batch. The seed is searched for, not hard-coded.</summary>
    static long SeedPuttingIndexInSecondBatch(int index, int count)
    {
        for (long seed = 0; ; seed++)
        {
            var generator = new Generator(seed);
            Torch.Randint(0, long.MaxValue, [1], generator: generator);
            int position = Array.IndexOf(new RandomSampler(count, generator: generator).ToArray(), index);
            if (position is 2 or 3) return seed;
        }
    }

    [Fact]
    public void SkipPolicyGivesSmallerBatch()
    {
        var (folder, _) = folders.DogCatFolder();
        var ds = new ImageFolder(folder);
        long seed = SeedPuttingIndexInSecondBatch(2, ds.Count);
        var loader = new DataLoader(ds, batchSize: 2, shuffle: true, seed: seed, badSamples: BadSamplePolicy.Skip);
        var batches = loader.ToList();
        Assert.Equal([2, 1, 2, 2, 1], batches.Select(b => b.Size));
        Assert.Equal([2L, 1, 2, 2, 1], batches.Select(b => ((Tensor)b.Targets!).Size(0)));
        Assert.Equal(8, batches.SelectMany(b => b.Indices).Distinct().Count());
        Assert.DoesNotContain(2, batches.SelectMany(b => b.Indices));
        Assert.Equal(1, batches[1].Skipped);
        Assert.Equal(1, loader.LastEpochSkipped);

        var dropLast = new DataLoader(ds, batchSize: 2, shuffle: true, seed: seed, dropLast: true, badSamples: BadSamplePolicy.Skip);
        Assert.Equal([2, 1, 2, 2], dropLast.Select(b => b.Size));
        Assert.Equal(4, dropLast.Count);
    }

    [Fact]
    public void SubstitutePolicyKeepsBatchesFull()
    {
        var (folder, _) = folders.DogCatFolder();
        var ds = new ImageFolder(folder);
        var loader = new DataLoader(ds, batchSize: 3, shuffle: true, seed: 5, badSamples: BadSamplePolicy.Substitute);
        var batches = loader.ToList();
        Assert.Equal([3, 3, 3], batches.Select(b => b.Size));
        Assert.DoesNotContain(2, batches.SelectMany(b => b.Indices));
        Assert.True(loader.LastEpochSubstituted >= 1);
        Assert.Equal(0, loader.LastEpochSkipped);
    }

    [Fact]
    public void WeightedSamplerDrawsDogsTwiceAsOften()
    {
        var (folder, _) = folders.DogCatFolder();
        var ds = new ImageFolder(folder);
        var weights = ds.Targets.Select(label => ds.Classes[label] == "dog" ? 2.0 : 1.0).ToArray();
        const int draws = 30000;
        var sampler = new WeightedRandomSampler(weights, draws, generator: new Generator(7));
        int dogs = sampler.Count(i => ds.Targets[i] == ds.ClassToIdx["dog"]);
        double p = 5 * 2.0 / (5 * 2.0 + 4 * 1.0);
        double sd = Math.Sqrt(draws * p * (1 - p));
        Assert.InRange(dogs, draws * p - 3 * sd, draws * p + 3 * sd);

        var once = new WeightedRandomSampler(weights, ds.Count, replacement: false, generator: new Generator(7)).ToArray();
        Assert.Equal(Enumerable.Range(0, ds.Count), once.Order());
    }
}
