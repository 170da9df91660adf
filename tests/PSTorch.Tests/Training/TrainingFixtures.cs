using PSTorch;
using PSTorch.Data;
using PSTorch.NN;
using PSTorch.Optim;
using PSTorch.Training;

namespace PSTorch.Tests.Training;

/// <summary>A tiny classification problem (48 samples, 4 features, 3 classes) and a small MLP with dropout, all seeded.</summary>
internal static class TrainingFixtures
{
    public static TensorDataset Dataset(int count = 48, long seed = 7)
    {
        var g = new Generator(seed);
        var x = Torch.Randn([count, 4], generator: g);
        using var w = Torch.Randn([4, 3], generator: g);
        using var scores = x.MatMul(w);
        var y = scores.Argmax(1);
        return new TensorDataset(x, y);
    }

    public static Sequential Model(long seed = 1)
    {
        Torch.ManualSeed(seed);
        return new Sequential([("fc1", new Linear(4, 16)), ("relu", new ReLU()), ("drop", new Dropout(0.2)), ("fc2", new Linear(16, 3))]);
    }

    public static DataLoader Loader(TensorDataset data, bool shuffle = true, long seed = 3, int batchSize = 8) =>
        shuffle ? new DataLoader(data, batchSize, shuffle: true, seed: seed) : new DataLoader(data, batchSize);

    public static TrainerOptions Options(Module model, Optimizer optimizer, DataLoader train, DataLoader? validation = null, int epochs = 3,
        LRScheduler? scheduler = null, MetricMonitor? monitor = null, string? checkpoint = null, string? resume = null, double? clip = null, IReadOnlyList<int>? topK = null) => new()
    {
        Model = model, Loss = new CrossEntropyLoss(), Optimizer = optimizer, TrainLoader = train, ValidationLoader = validation, Epochs = epochs,
        Scheduler = scheduler, Monitor = monitor, CheckpointPath = checkpoint, ResumeFrom = resume, ClipGradNorm = clip, TopK = topK ?? [],
    };

    /// <summary>Every parameter's values, in order, for bit-for-bit comparison.</summary>
    public static float[][] Weights(Module model) => model.Parameters().Select(p => p.Detach().Contiguous().ToArray<float>()).ToArray();

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "pstorch-train-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}
