using PSTorch;
using PSTorch.Data;
using PSTorch.IO;
using PSTorch.NN;
using PSTorch.Optim;
using PSTorch.Training;
using Xunit;
using static PSTorch.Tests.Training.TrainingFixtures;

namespace PSTorch.Tests.Training;

/// <summary>Resume and cancellation: bit-identical continuation. Dropout draws from the default generator, so these run alone.</summary>
[Collection("DefaultGenerator")]
public sealed class ResumeTests : IDisposable
{
    readonly string folder = TempFolder();
    readonly TensorDataset data = Dataset(count: 44);   // 6 batches of 8 with a short last one

    public void Dispose() => Directory.Delete(folder, true);

    string Path(string name) => System.IO.Path.Combine(folder, name);

    /// <summary>A fresh model (its own initial weights), Adam, StepLR, shuffled loaders; the loaders draw from their own generator or the default one.</summary>
    (Trainer Trainer, Module Model) Setup(int epochs, bool seededLoaders, long modelSeed = 1, string? checkpoint = null, string? resume = null)
    {
        var model = Model(modelSeed);
        var optimizer = new Adam(model.Parameters(), lr: 0.02);
        var scheduler = new StepLR(optimizer, 2, gamma: 0.5);
        var train = seededLoaders ? new DataLoader(data, 8, shuffle: true, seed: 3) : new DataLoader(data, 8, shuffle: true);
        var validation = seededLoaders ? new DataLoader(data, 16, shuffle: true, seed: 4) : new DataLoader(data, 16, shuffle: true);
        var options = Options(model, optimizer, train, validation, epochs, scheduler, checkpoint: checkpoint, resume: resume);
        return (new Trainer(options), model);
    }

    static void AssertSameWeights(Module expected, Module actual)
    {
        var a = Weights(expected);
        var b = Weights(actual);
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);   // exact float equality
    }

    static void AssertSameRecords(IReadOnlyList<EpochRecord> expected, IReadOnlyList<EpochRecord> actual)
    {
        Assert.Equal(expected.Select(r => (r.Epoch, r.TrainLoss, r.TrainAccuracy, r.ValidationLoss, r.ValidationAccuracy, r.LearningRate)),
            actual.Select(r => (r.Epoch, r.TrainLoss, r.TrainAccuracy, r.ValidationLoss, r.ValidationAccuracy, r.LearningRate)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void KEpochsThenResumeEqualsNEpochsBitForBit(bool seededLoaders)
    {
        var (straight, straightModel) = Setup(5, seededLoaders);
        var full = straight.Fit(TestContext.Current.CancellationToken);

        var (first, _) = Setup(2, seededLoaders, checkpoint: Path("run.safetensors"));
        first.Fit(TestContext.Current.CancellationToken);
        Torch.ManualSeed(12345);   // whatever happens in between must not matter
        var (second, resumedModel) = Setup(5, seededLoaders, modelSeed: 99, checkpoint: Path("run.safetensors"), resume: Path("run.safetensors"));
        var resumed = second.Fit(TestContext.Current.CancellationToken);

        AssertSameWeights(straightModel, resumedModel);
        AssertSameRecords(full.History, resumed.History);
        Assert.Equal(full.BestEpoch, resumed.BestEpoch);
    }

    [Theory]
    [InlineData(9, true)]    // inside epoch 2
    [InlineData(9, false)]
    [InlineData(6, true)]    // after the last batch of epoch 1, before its validation
    [InlineData(0, true)]    // before the first batch
    public void InterruptedRunResumesBitForBit(int stopAfterSteps, bool seededLoaders)
    {
        var (straight, straightModel) = Setup(3, seededLoaders);
        var full = straight.Fit(TestContext.Current.CancellationToken);

        var (first, _) = Setup(3, seededLoaders, checkpoint: Path("run.safetensors"));
        using var cancel = new CancellationTokenSource();
        if (stopAfterSteps == 0) cancel.Cancel();
        first.BatchCompleted += (_, p) => { if (p.GlobalStep == stopAfterSteps) cancel.Cancel(); };
        var stopped = first.Fit(cancel.Token);
        Assert.True(stopped.Interrupted);
        Assert.True(File.Exists(Path("run.safetensors")));

        Torch.ManualSeed(12345);
        var (second, resumedModel) = Setup(3, seededLoaders, modelSeed: 99, checkpoint: Path("run.safetensors"), resume: Path("run.safetensors"));
        var resumed = second.Fit(TestContext.Current.CancellationToken);
        Assert.False(resumed.Interrupted);
        AssertSameWeights(straightModel, resumedModel);
        AssertSameRecords(full.History, resumed.History);
    }

    [Fact]
    public void AnInterruptionAfterAnEpochKeepsThatEpochsCheckpointLoadable()
    {
        var (first, _) = Setup(3, true, checkpoint: Path("run.safetensors"));
        using var cancel = new CancellationTokenSource();
        first.EpochCompleted += (_, r) => cancel.Cancel();
        first.BatchCompleted += (_, p) => Assert.Equal(1, p.Epoch);
        var run = first.Fit(cancel.Token);
        Assert.True(run.Interrupted);
        Assert.Single(run.History);
        var checkpoint = Checkpoint.Load(Path("run.safetensors"));
        Assert.Equal(1, checkpoint.Epoch);
        Assert.Contains("pstorch.trainer", checkpoint.Metadata.Keys);
    }

    [Fact]
    public void SaveBestKeepsTheBestEpochsCheckpoint()
    {
        var model = Model();
        var options = new TrainerOptions
        {
            Model = model, Loss = new CrossEntropyLoss(), Optimizer = new Adam(model.Parameters(), lr: 0.02), TrainLoader = Loader(data),
            ValidationLoader = Loader(data, shuffle: false), Epochs = 4, CheckpointPath = Path("m.safetensors"), SaveBest = true,
            Monitor = new MetricMonitor(MetricNames.ValidationAccuracy),
        };
        var run = new Trainer(options).Fit(TestContext.Current.CancellationToken);
        Assert.Equal(Path("m.best.safetensors"), run.BestCheckpointPath);
        var best = Checkpoint.Load(run.BestCheckpointPath!);
        Assert.Equal(run.BestEpoch, best.Epoch);
        Assert.Equal(run.History.Max(r => r.ValidationAccuracy), run.BestMetric);
        Assert.Equal(4, Checkpoint.Load(Path("m.safetensors")).Epoch);
    }

    [Fact]
    public void ResumesFromACheckpointWrittenOutsideATrainer()
    {
        var model = Model();
        var optimizer = new SGD(model.Parameters(), lr: 0.1);
        Checkpoint.Capture(model, optimizer, epoch: 2).Save(Path("plain.safetensors"));
        var run = new Trainer(Options(model, optimizer, Loader(data), epochs: 3, resume: Path("plain.safetensors"))).Fit(TestContext.Current.CancellationToken);
        Assert.Equal([3], run.History.Select(r => r.Epoch));
    }

    [Fact]
    public void ResumingWithAnotherMonitoredMetricIsAnError()
    {
        var (first, _) = Setup(1, true, checkpoint: Path("run.safetensors"));
        first.Fit(TestContext.Current.CancellationToken);
        var model = Model();
        var options = Options(model, new Adam(model.Parameters(), lr: 0.02), Loader(data), Loader(data), epochs: 2,
            monitor: new MetricMonitor(MetricNames.ValidationAccuracy), resume: Path("run.safetensors"));
        var e = Assert.Throws<InvalidOperationException>(() => new Trainer(options).Fit(TestContext.Current.CancellationToken));
        Assert.Contains("monitored 'val_loss'", e.Message);
    }
}
