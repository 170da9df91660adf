using PSTorch.Data;
using PSTorch.NN;

namespace PSTorch.Training;

/// <summary>
/// The pieces of the default training run (Invoke-Training with no arguments): an MLP 784-256-128-10 with ReLU,
/// Adam at 1e-3, batches of 64 from the embedded Fashion-MNIST sample (validated on its test part), seeded.
/// </summary>
public static class DefaultClassifier
{
    public const int BatchSize = 64;
    public const int Epochs = 5;
    public const double LearningRate = 1e-3;
    public const long Seed = 0;

    /// <summary>Flatten, then Linear + ReLU per hidden size, then a Linear to the classes.</summary>
    public static Sequential Mlp(int inputs = 784, int[]? hidden = null, int classes = 10)
    {
        var layers = new List<(string, Module)> { ("flatten", new Flatten()) };
        int width = inputs, i = 1;
        foreach (var h in hidden ?? [256, 128])
        {
            layers.Add(($"fc{i}", new Linear(width, h)));
            layers.Add(($"relu{i}", new ReLU()));
            width = h;
            i++;
        }
        layers.Add(($"fc{i}", new Linear(width, classes)));
        return new Sequential(layers.ToArray());
    }

    /// <summary>The sample's training part (6,000 images), shuffled by a generator seeded with <paramref name="seed"/>.</summary>
    public static DataLoader TrainLoader(long seed = Seed, int batchSize = BatchSize) =>
        new(FashionMnistSample.Load(train: true), batchSize, shuffle: true, seed: seed);

    /// <summary>The sample's test part (1,000 images), in order.</summary>
    public static DataLoader TestLoader(int batchSize = 1000) => new(FashionMnistSample.Load(train: false), batchSize);
}
