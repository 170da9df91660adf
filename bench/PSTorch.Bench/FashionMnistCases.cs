using System.Diagnostics;
using PSTorch.Data;
using PSTorch.NN;
using PSTorch.Optim;
using PSTorch.Training;

namespace PSTorch.Bench;

/// <summary>
/// The peer's Fashion-MNIST epochs (fmnist_mlp: 5 epochs, fmnist_cnn: 1 epoch) through PSTorch's Trainer: the same
/// models, batch 64, Adam 1e-3, data in memory standardised with (x/255 - 0.2860) / 0.3530, shuffled every epoch.
/// Times are per-epoch wall time of the training loop (shuffle and gather included, test evaluation excluded).
/// </summary>
public static class FashionMnistCases
{
    public const int MlpEpochs = 5;
    public const string DataDir = "/usr/share/datasets/fashion-mnist";
    const float Mean = 0.2860f, Std = 0.3530f;

    static Dictionary<string, object> P(params (string Key, object Value)[] items) => items.ToDictionary(x => x.Key, x => x.Value);

    public static IEnumerable<Case> All()
    {
        yield return new("fmnist_mlp", "fmnist", $"MLP on Fashion-MNIST, batch 64, Adam 1e-3, {MlpEpochs} epochs", () => Epochs("fmnist_mlp", Cases.Mlp, false, MlpEpochs));
        yield return new("fmnist_cnn", "fmnist", "CNN on Fashion-MNIST, batch 64, Adam 1e-3, 1 epoch", () => Epochs("fmnist_cnn", Cases.Cnn, true, 1));
    }

    /// <summary>Images as standardised float32 [N, 784] (or [N, 1, 28, 28]) and labels as int64 [N].</summary>
    static (Tensor X, Tensor Y) Load(string part, bool image)
    {
        using var pixels = IdxFile.Read(Path.Combine(DataDir, $"{part}-images-idx3-ubyte.gz"));
        using var labels = IdxFile.Read(Path.Combine(DataDir, $"{part}-labels-idx1-ubyte.gz"));
        using var floats = pixels.To(DType.Float32);
        using var scaled = floats / 255.0;
        using var centred = scaled - Mean;
        using var x = centred / Std;
        long n = x.Size(0);
        return (image ? x.Reshape(n, 1, 28, 28).Clone() : x.Reshape(n, 784).Clone(), labels.To(DType.Int64));
    }

    static Result Epochs(string name, Func<Sequential> make, bool image, int epochs)
    {
        if (!File.Exists(Path.Combine(DataDir, "train-images-idx3-ubyte.gz")))
            throw new FileNotFoundException($"Fashion-MNIST not found in {DataDir}: apt-get install -y dataset-fashion-mnist");
        int previousThreads = Torch.GetNumThreads();
        Torch.SetNumThreads(Cases.Threads);
        try
        {
            var load = Stopwatch.StartNew();
            var (xTrain, yTrain) = Load("train", image);
            var (xTest, yTest) = Load("t10k", image);
            double loadMs = load.Elapsed.TotalMilliseconds;
            Torch.ManualSeed(0);
            var model = make();
            var train = new DataLoader(new TensorDataset(xTrain, yTrain), 64, shuffle: true, seed: 0);
            var test = new DataLoader(new TensorDataset(xTest, yTest), 1000);
            var trainer = new Trainer(new TrainerOptions
            {
                Model = model, Loss = new CrossEntropyLoss(), Optimizer = new Adam(model.Parameters(), lr: 1e-3), TrainLoader = train, Epochs = epochs,
            });
            var accuracy = new List<double>();
            // Test accuracy after each epoch, outside the record's time (as the peer measures it).
            trainer.EpochCompleted += (_, _) => accuracy.Add(Evaluation.Run(model, test).Accuracy!.Value);
            var meter = CpuMeter.Start();
            var run = trainer.Fit();
            var (foreign, steal) = meter.Stop();
            var epochMs = run.History.Select(r => r.Seconds * 1000).ToList();
            long n = xTrain.Size(0);
            var result = Measure.FromSamples(name, "fmnist",
                P(("model", image ? "small CNN" : "MLP 784-256-128-10"), ("batch", 64), ("optimizer", "Adam lr=1e-3"), ("shuffle", true),
                  ("epochs", epochs), ("train_samples", n), ("test_samples", xTest.Size(0)), ("normalize", "x/255, (x-0.2860)/0.3530"),
                  ("loop", "PSTorch.Training.Trainer over a DataLoader of a TensorDataset")),
                Cases.Threads, epochMs, n, "samples/s",
                "times are per-epoch wall time (training loop incl. shuffle+gather, excluding test eval); repeats = epochs");
            result.ForeignCpuPct = foreign;
            result.StealPct = steal;
            result.Extra = new()
            {
                ["epoch1_s"] = epochMs[0] / 1000,
                ["epoch_s"] = epochMs.Select(x => x / 1000).ToArray(),
                ["test_acc_after_epoch"] = accuracy.ToArray(),
                ["train_loss_per_epoch"] = run.History.Select(r => r.TrainLoss).ToArray(),
                ["test_acc_epoch1"] = accuracy[0],
                ["test_acc_final"] = accuracy[^1],
                ["idx_load_and_normalize_ms"] = loadMs,
            };
            return result;
        }
        finally
        {
            Torch.SetNumThreads(previousThreads);
        }
    }
}
