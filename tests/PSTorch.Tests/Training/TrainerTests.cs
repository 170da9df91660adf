using PSTorch.Tests.IO;
using PSTorch;
using PSTorch.NN;
using PSTorch.Optim;
using PSTorch.Training;
using Xunit;
using static PSTorch.Tests.Training.TrainingFixtures;

namespace PSTorch.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void EmitsOneRecordPerEpochWithLossesAccuracyAndRate()
    {
        var data = Dataset();
        var model = Model();
        var optimizer = new Adam(model.Parameters(), lr: 0.05);
        var trainer = new Trainer(Options(model, optimizer, Loader(data), Loader(data, shuffle: false), epochs: 4, topK: [2]));
        var seen = new List<EpochRecord>();
        trainer.EpochCompleted += (_, r) => seen.Add(r);
        var run = trainer.Fit(TestContext.Current.CancellationToken);

        Assert.Equal([1, 2, 3, 4], run.History.Select(r => r.Epoch));
        Assert.Equal(run.History, seen);
        foreach (var r in run.History)
        {
            Assert.True(double.IsFinite(r.TrainLoss) && r.TrainLoss > 0);
            Assert.InRange(r.TrainAccuracy!.Value, 0, 1);
            Assert.InRange(r.ValidationAccuracy!.Value, 0, 1);
            Assert.NotNull(r.ValidationLoss);
            Assert.Equal(0.05, r.LearningRate);
            Assert.True(r.Seconds > 0 && r.SamplesPerSecond > 0);
            Assert.InRange(r.GetMetric("val_top2")!.Value, r.ValidationAccuracy!.Value, 1);
        }
        Assert.True(run.History[^1].ValidationLoss < run.History[0].ValidationLoss, "the validation loss should fall on this easy problem");
        Assert.Equal(MetricNames.ValidationLoss, run.MonitoredMetric);
        Assert.Equal(run.History.MinBy(r => r.ValidationLoss)!.Epoch, run.BestEpoch);
        Assert.False(run.StoppedEarly);
        Assert.False(run.Interrupted);
        Assert.True(model.Training, "training leaves the model in training mode");
    }

    [Fact]
    public void ValidationMetricsEqualAnEvaluationOfTheTrainedModel()
    {
        var data = Dataset();
        var model = Model();
        var run = new Trainer(Options(model, new SGD(model.Parameters(), lr: 0.1), Loader(data), Loader(data, shuffle: false), epochs: 2)).Fit(TestContext.Current.CancellationToken);
        var evaluation = Evaluation.Run(model, Loader(data, shuffle: false), new CrossEntropyLoss(), cancellation: TestContext.Current.CancellationToken);
        Assert.Equal(evaluation.Loss!.Value, run.History[^1].ValidationLoss!.Value, 12);
        Assert.Equal(evaluation.Accuracy, run.History[^1].ValidationAccuracy);
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceEpochsWithoutImprovement()
    {
        var data = Dataset();
        var model = Model();
        // lr = 0: the validation loss never changes, so only epoch 1 counts as an improvement.
        var options = Options(model, new SGD(model.Parameters(), lr: 0.0), Loader(data), Loader(data, shuffle: false), epochs: 10,
            monitor: new MetricMonitor(MetricNames.ValidationLoss, patience: 2));
        var run = new Trainer(options).Fit(TestContext.Current.CancellationToken);
        Assert.True(run.StoppedEarly);
        Assert.Equal(3, run.History.Count);
        Assert.Equal(1, run.BestEpoch);
        Assert.Equal(run.History[0].ValidationLoss, run.BestMetric);
    }

    [Fact]
    public void MonitorModesAndMinDelta()
    {
        var max = new MetricMonitor(MetricNames.ValidationAccuracy, patience: 1, minDelta: 0.05);
        Assert.Equal("max", max.Mode);
        Assert.True(max.Update(1, 0.5));
        Assert.False(max.Update(2, 0.54));   // not more than min_delta better
        Assert.True(max.ShouldStop);
        Assert.True(max.Update(3, 0.6));
        Assert.Equal(3, max.BestEpoch);
        Assert.False(max.ShouldStop);
        var min = new MetricMonitor("train_loss");
        Assert.Equal("min", min.Mode);
        Assert.True(min.Update(1, 1.0));
        Assert.False(min.Update(2, double.NaN));
        Assert.Throws<ArgumentException>(() => new MetricMonitor("val_loss", mode: "lowest"));
    }

    [Fact]
    public void MonitoringAValidationMetricWithoutAValidationLoaderIsAnError()
    {
        var model = Model();
        var e = Assert.Throws<ArgumentException>(() => new Trainer(Options(model, new SGD(model.Parameters()), Loader(Dataset()),
            monitor: new MetricMonitor(MetricNames.ValidationAccuracy))));
        Assert.Contains("needs a validation loader", e.Message);
    }

    sealed class CountingScheduler(Optimizer optimizer, SchedulerInterval interval) : LRScheduler(optimizer, -1)
    {
        public override SchedulerInterval Interval => interval;
        public void Start() => InitialStep();
        protected override double[] GetLr() => Groups.Select(g => g.LearningRate).ToArray();
    }

    [Theory]
    [InlineData(SchedulerInterval.Batch, 3 * 6)]
    [InlineData(SchedulerInterval.Epoch, 3)]
    public void SchedulersStepPerBatchOrPerEpoch(SchedulerInterval interval, int expectedSteps)
    {
        var model = Model();
        var optimizer = new SGD(model.Parameters(), lr: 0.1);
        var scheduler = new CountingScheduler(optimizer, interval);
        scheduler.Start();
        new Trainer(Options(model, optimizer, Loader(Dataset()), epochs: 3, scheduler: scheduler)).Fit(TestContext.Current.CancellationToken);   // 48 samples / 8 = 6 batches
        Assert.Equal(1 + expectedSteps, scheduler.StepCount);
    }

    [Fact]
    public void EpochSchedulerChangesTheRecordedLearningRateAfterEachEpoch()
    {
        var model = Model();
        var optimizer = new SGD(model.Parameters(), lr: 0.1);
        var run = new Trainer(Options(model, optimizer, Loader(Dataset()), epochs: 3, scheduler: new StepLR(optimizer, 1, gamma: 0.5))).Fit(TestContext.Current.CancellationToken);
        Assert.Equal([0.1, 0.05, 0.025], run.History.Select(r => r.LearningRate));
        Assert.Equal(0.0125, optimizer.ParamGroups[0].LearningRate);
    }

    [Fact]
    public void ReduceLROnPlateauIsSteppedWithTheValidationLoss()
    {
        var data = Dataset();
        var model = Model();
        var optimizer = new SGD(model.Parameters(), lr: 1e-6); // nearly frozen: the validation loss plateaus
        var plateau = new ReduceLROnPlateau(optimizer, patience: 0, factor: 0.5);
        new Trainer(Options(model, optimizer, Loader(data), Loader(data, shuffle: false), epochs: 3, scheduler: plateau)).Fit(TestContext.Current.CancellationToken);
        Assert.Equal(3, plateau.StepCount);
        Assert.True(plateau.Best < double.PositiveInfinity);
        Assert.Equal(1e-6 * 0.5 * 0.5, optimizer.ParamGroups[0].LearningRate, 15);
    }

    [Fact]
    public void GradientClippingBoundsEachUpdate()
    {
        var data = Dataset(count: 8);
        var model = Model();
        var before = Weights(model);
        var options = Options(model, new SGD(model.Parameters(), lr: 1.0), Loader(data, shuffle: false), epochs: 1, clip: 1e-3);
        new Trainer(options).Fit(TestContext.Current.CancellationToken);
        var after = Weights(model);
        double squared = 0;
        for (int i = 0; i < before.Length; i++)
            for (int j = 0; j < before[i].Length; j++) squared += Math.Pow(after[i][j] - before[i][j], 2);
        // One SGD step with lr 1: the update is the clipped gradient, whose norm is at most 1e-3.
        Assert.InRange(Math.Sqrt(squared), 1e-5, 1e-3 * 1.001);
    }

    [Fact]
    public void BatchProgressReportsEveryBatch()
    {
        var model = Model();
        var trainer = new Trainer(Options(model, new SGD(model.Parameters(), lr: 0.1), Loader(Dataset()), epochs: 2));
        var seen = new List<(int Epoch, int Batch, long Step, int Batches)>();
        trainer.BatchCompleted += (_, p) =>
        {
            Assert.True(double.IsFinite(p.RunningLoss) && p.SamplesPerSecond > 0);
            seen.Add((p.Epoch, p.Batch, p.GlobalStep, p.Batches));
        };
        trainer.Fit(TestContext.Current.CancellationToken);
        Assert.Equal(12, seen.Count);
        Assert.Equal((2, 6, 12L, 6), seen[^1]);
        Assert.Equal((1, 1, 1L, 6), seen[0]);
    }

    [Fact]
    public void ProgressReadsTheStepLossesFromTheDeviceAndEveryStepReachesTensorBoard()
    {
        var folder = TempFolder();
        try
        {
            var model = Model();
            var options = new TrainerOptions
            {
                // 300 steps: more than one block of the buffered step-loss log
                Model = model, Loss = new CrossEntropyLoss(), Optimizer = new SGD(model.Parameters(), lr: 0.05),
                TrainLoader = Loader(Dataset(count: 600), batchSize: 2), Epochs = 1, LogDir = folder,
            };
            var trainer = new Trainer(options);
            var losses = new List<double>();
            BatchProgress? progress = null;
            trainer.BatchCompleted += (_, p) =>
            {
                progress = p;
                losses.Add(p.Loss);
                Assert.Equal(losses.Average(), p.RunningLoss, 1e-12);   // equal batch sizes: the running loss is the mean
            };
            var run = trainer.Fit(TestContext.Current.CancellationToken);
            Assert.Equal(300, losses.Count);
            Assert.Equal(losses.Average(), run.History[0].TrainLoss, 1e-12);
            Assert.True(double.IsNaN(progress!.Loss) && double.IsNaN(progress.RunningLoss));   // released after the epoch

            var file = Assert.Single(Directory.GetFiles(folder, "events.out.tfevents.*"));
            var logged = EventFileReader.ReadEvents(file)
                .SelectMany(e => e.Values.Where(v => v.Tag == "train/loss").Select(v => (e.Step, Value: v.SimpleValue!.Value))).ToList();
            Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), logged.Select(l => l.Step));
            Assert.Equal(losses.Select(l => (float)l), logged.Select(l => l.Value));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void CancellationStopsAtABatchBoundary()
    {
        var model = Model();
        var trainer = new Trainer(Options(model, new SGD(model.Parameters(), lr: 0.1), Loader(Dataset()), epochs: 3));
        using var cancel = new CancellationTokenSource();
        int batches = 0;
        trainer.BatchCompleted += (_, p) =>
        {
            batches++;
            if (p.GlobalStep == 8) cancel.Cancel();
        };
        var run = trainer.Fit(cancel.Token);
        Assert.True(run.Interrupted);
        Assert.Equal(8, batches);
        Assert.Single(run.History);
    }

    [Fact]
    public void LogDirGetsATensorBoardEventFile()
    {
        var folder = TempFolder();
        try
        {
            var model = Model();
            var options = new TrainerOptions
            {
                Model = model, Loss = new CrossEntropyLoss(), Optimizer = new SGD(model.Parameters(), lr: 0.1), TrainLoader = Loader(Dataset()),
                Epochs = 2, LogDir = folder,
            };
            new Trainer(options).Fit(TestContext.Current.CancellationToken);
            var file = Assert.Single(Directory.GetFiles(folder, "events.out.tfevents.*"));
            var bytes = File.ReadAllBytes(file);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            Assert.Contains("train/loss", text);
            Assert.Contains("epoch/train_loss", text);
            Assert.Contains("epoch/train_accuracy", text);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
