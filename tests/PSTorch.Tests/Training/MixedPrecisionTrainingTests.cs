using PSTorch;
using PSTorch.Data;
using PSTorch.IO;
using PSTorch.NN;
using PSTorch.Optim;
using PSTorch.Training;
using Xunit;
using static PSTorch.Tests.Training.TrainingFixtures;

namespace PSTorch.Tests.Training;

/// <summary>The trainer's mixed precision (PyTorch's AMP recipe) on the CPU: bfloat16 without a scaler, float16 with one.</summary>
[Collection("DefaultGenerator")]
public sealed class MixedPrecisionTrainingTests : IDisposable
{
    readonly string folder = TempFolder();

    public void Dispose() => Directory.Delete(folder, true);

    string Path(string name) => System.IO.Path.Combine(folder, name);

    static TrainerOptions Amp(TrainerOptions options, DType? dtype = null) => new()
    {
        Model = options.Model, Loss = options.Loss, Optimizer = options.Optimizer, TrainLoader = options.TrainLoader,
        ValidationLoader = options.ValidationLoader, Epochs = options.Epochs, Scheduler = options.Scheduler, ClipGradNorm = options.ClipGradNorm,
        CheckpointPath = options.CheckpointPath, ResumeFrom = options.ResumeFrom, MixedPrecision = true, AutocastDType = dtype,
    };

    /// <summary>
    /// Inputs a thousand times larger than <see cref="TrainingFixtures.Dataset"/>'s: the second layer's float16 weight
    /// gradient overflows at the initial scale of 65536, so the first steps are skipped and the scale backs off.
    /// </summary>
    static TensorDataset LargeInputs()
    {
        var g = new Generator(7);
        using var x = Torch.Randn([48, 4], generator: g);
        using var w = Torch.Randn([4, 3], generator: g);
        using var scores = x.MatMul(w);
        return new TensorDataset(x * 1000, scores.Argmax(1));
    }

    static void AssertFloat32Parameters(Module model)
    {
        foreach (var p in model.Parameters())
        {
            Assert.Equal(DType.Float32, p.DType);
            Assert.Equal(DType.Float32, p.Grad!.DType);
        }
    }

    [Fact]
    public void BFloat16_RunsForwardAndValidationUnderAutocast_KeepsFloat32Parameters_AndNeedsNoScaler()
    {
        var data = Dataset();
        var model = Model();
        var outputs = new List<(DType DType, bool Training)>();
        using var hook = model.RegisterForwardHook((m, _, output) => { outputs.Add((output.DType, m.Training)); return null; });
        var trainer = new Trainer(Amp(Options(model, new Adam(model.Parameters(), lr: 0.05), Loader(data), Loader(data, shuffle: false), epochs: 4)));
        var scales = new List<double?>();
        trainer.BatchCompleted += (_, p) => scales.Add(p.LossScale);
        var run = trainer.Fit(TestContext.Current.CancellationToken);

        Assert.False(Assert.IsType<PSTorch.Amp.GradScaler>(trainer.Scaler).IsEnabled);   // bfloat16 is the CPU's default
        Assert.Equal((DType.BFloat16, true), outputs[0]);
        Assert.Contains((DType.BFloat16, false), outputs);   // validation
        Assert.DoesNotContain(outputs, o => o.DType != DType.BFloat16);
        Assert.False(Torch.IsAutocastEnabled("cpu"), "autocast ends with each forward pass");
        AssertFloat32Parameters(model);
        Assert.All(scales, s => Assert.Null(s));
        Assert.True(run.History[^1].TrainLoss < run.History[0].TrainLoss, "the training loss should fall");
        Assert.True(run.History[^1].ValidationLoss < run.History[0].ValidationLoss, "the validation loss should fall");
    }

    [Fact]
    public void Float16_ScalesTheLoss_ClipsUnscaledGradients_AndTrains()
    {
        var data = Dataset();
        var model = Model();
        var trainer = new Trainer(Amp(Options(model, new Adam(model.Parameters(), lr: 0.05), Loader(data), epochs: 4, clip: 1.0), DType.Float16));
        var scales = new List<double?>();
        trainer.BatchCompleted += (_, p) => scales.Add(p.LossScale);
        var run = trainer.Fit(TestContext.Current.CancellationToken);

        var scaler = Assert.IsType<PSTorch.Amp.GradScaler>(trainer.Scaler);
        Assert.True(scaler.IsEnabled);
        Assert.Equal(24, scales.Count);
        Assert.All(scales, s => Assert.Equal(65536, s));   // small gradients: no step skipped, fewer than 2000 steps: no growth
        AssertFloat32Parameters(model);
        // Clipping ran on the unscaled gradients: scaled ones (x 65536) would have been cut to norm 1 / 65536 after unscaling.
        var norm = Math.Sqrt(model.Parameters().Sum(p => { using var sq = p.Grad!.Pow(2); using var s = sq.Sum(); return s.Item<double>(); }));
        Assert.InRange(norm, 1e-3, 1.0 + 1e-4);
        Assert.True(run.History[^1].TrainLoss < run.History[0].TrainLoss, "the training loss should fall");
    }

    [Fact]
    public void Float16_SkipsOverflowingSteps_ButStepsTheSchedulerAndCountsTheBatch()
    {
        var data = LargeInputs();
        var model = Model();
        var optimizer = new Adam(model.Parameters(), lr: 0.01);
        var scheduler = new OneCycleLR(optimizer, maxLr: 0.01, totalSteps: 18);
        var trainer = new Trainer(Amp(Options(model, optimizer, Loader(data), epochs: 3, scheduler: scheduler), DType.Float16));
        var initial = Weights(model);
        float[][]? afterFirst = null;
        var scales = new List<double>();
        trainer.BatchCompleted += (_, p) =>
        {
            scales.Add(p.LossScale!.Value);
            if (p.GlobalStep == 1) afterFirst = Weights(model);
        };
        var run = trainer.Fit(TestContext.Current.CancellationToken);

        Assert.Equal(initial, afterFirst);   // the first step found inf gradients and was skipped
        Assert.Equal(32768, scales[0]);
        Assert.Equal(18, scales.Count);
        Assert.Equal(18, scheduler.LastEpoch);   // stepped after every batch, skipped or not
        Assert.True(scales[^1] < 1024, $"the scale backs off until the gradients fit, got {scales[^1]}");
        Assert.NotEqual(initial, Weights(model));   // once the scale fits, the steps run
        Assert.All(run.History, r => Assert.True(double.IsFinite(r.TrainLoss)));
    }

    [Fact]
    public void Float16_CheckpointKeepsTheScale_AndResumingContinuesBitForBit()
    {
        var data = LargeInputs();
        TrainerOptions Setup(int epochs, long modelSeed, string? checkpoint = null, string? resume = null)
        {
            var model = Model(modelSeed);
            return Amp(Options(model, new Adam(model.Parameters(), lr: 0.01), Loader(data), epochs: epochs, checkpoint: checkpoint, resume: resume), DType.Float16);
        }

        var straight = new Trainer(Setup(3, 1));
        straight.Fit(TestContext.Current.CancellationToken);

        var first = new Trainer(Setup(2, 1, checkpoint: Path("run.safetensors")));
        first.Fit(TestContext.Current.CancellationToken);
        var saved = Checkpoint.Load(Path("run.safetensors")).Scaler!;
        Assert.Equal(first.Scaler!.GetScale(), Convert.ToDouble(saved["scale"]));
        Assert.True(first.Scaler.GetScale() < 65536, "the overflowing first steps moved the scale");

        Torch.ManualSeed(12345);
        var second = new Trainer(Setup(3, 99, checkpoint: Path("run.safetensors"), resume: Path("run.safetensors")));
        var resumed = second.Fit(TestContext.Current.CancellationToken);
        Assert.Equal([3], resumed.History.Skip(2).Select(r => r.Epoch));
        Assert.Equal(Weights(straight.Options.Model), Weights(second.Options.Model));   // a fresh scale would skip steps again
        Assert.Equal(straight.Scaler!.GetScale(), second.Scaler!.GetScale());
    }

    [Fact]
    public void ResumingAFloat32RunWithMixedPrecisionStartsAFreshScaler()
    {
        var data = Dataset();
        var model = Model();
        new Trainer(Options(model, new SGD(model.Parameters(), lr: 0.1), Loader(data), epochs: 1, checkpoint: Path("run.safetensors"))).Fit(TestContext.Current.CancellationToken);
        Assert.Null(Checkpoint.Load(Path("run.safetensors")).Scaler);

        var resumedModel = Model(2);
        var trainer = new Trainer(Amp(Options(resumedModel, new SGD(resumedModel.Parameters(), lr: 0.1), Loader(data), epochs: 2, resume: Path("run.safetensors")), DType.Float16));
        var run = trainer.Fit(TestContext.Current.CancellationToken);
        Assert.Equal(2, run.History.Count);
        Assert.Equal(65536, trainer.Scaler!.GetScale());
    }

    [Fact]
    public void AutocastDTypeNeedsMixedPrecisionAndALowerPrecision()
    {
        var model = Model();
        var options = Options(model, new SGD(model.Parameters(), lr: 0.1), Loader(Dataset()));
        var withoutAmp = new TrainerOptions
        {
            Model = model, Loss = options.Loss, Optimizer = options.Optimizer, TrainLoader = options.TrainLoader, AutocastDType = DType.Float16,
        };
        Assert.Contains("turn mixed precision on", Assert.Throws<ArgumentException>(() => new Trainer(withoutAmp)).Message);
        Assert.Equal("mixed precision runs in bfloat16 or float16, got torch.float32",
            Assert.Throws<ArgumentException>(() => new Trainer(Amp(options, DType.Float32))).Message);
        Assert.Null(new Trainer(options).Scaler);
    }
}
