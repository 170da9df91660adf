using System.Diagnostics;
using System.Management.Automation;
using PSTorch.Completion;
using PSTorch.Construction;
using PSTorch.Data;
using PSTorch.NN;
using PSTorch.Optim;
using PSTorch.Training;

namespace PSTorch.Commands;

/// <summary>
/// Invoke-Training: trains a model and writes one record per epoch to the pipeline as each epoch finishes (or, with
/// -PassThru, the TrainingRun at the end). Every parameter has a default: with none at all it trains an MLP
/// 784-256-128-10 with Adam 1e-3 in batches of 64 on the embedded Fashion-MNIST sample, validated on its test part.
/// Ctrl+C stops at a batch boundary and saves a checkpoint when -CheckpointPath is set.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Training")]
[OutputType(typeof(EpochRecord), typeof(TrainingRun))]
public sealed class InvokeTrainingCommand : PSCmdlet
{
    const int EpochActivity = 1, BatchActivity = 2;
    static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    [Parameter(Position = 0)] public Module? Model { get; set; }

    /// <summary>A loss module or a loss name (CrossEntropyLoss by default).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(LossNameCompleter))]
    public object? Loss { get; set; }

    /// <summary>An optimizer or an optimizer name (Adam by default).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(OptimizerNameCompleter))]
    public object? Optimizer { get; set; }

    [Parameter] [Alias("Lr")] public double? LearningRate { get; set; }
    [Parameter(Position = 1)] public DataLoader? TrainLoader { get; set; }
    [Parameter] public DataLoader? ValidationLoader { get; set; }
    [Parameter] [ValidateRange(0, int.MaxValue)] public int Epochs { get; set; } = DefaultClassifier.Epochs;

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string? Device { get; set; }

    [Parameter] public LRScheduler? Scheduler { get; set; }
    [Parameter] [ValidateRange(0.0, double.MaxValue)] public double? ClipGradNorm { get; set; }

    /// <summary>Trains in mixed precision: autocast for the forward pass and the loss, a GradScaler for float16.</summary>
    [Parameter] public SwitchParameter MixedPrecision { get; set; }

    /// <summary>The lower precision of -MixedPrecision: bfloat16 or float16 (default: bfloat16 on the CPU, float16 on CUDA).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DTypeCompleter))]
    public string? AutocastDType { get; set; }

    /// <summary>Metrics besides the loss: accuracy (always measured for classifiers) and topN (top-N accuracy).</summary>
    [Parameter] public string[]? Metrics { get; set; }

    [Parameter] public int[]? TopK { get; set; }
    [Parameter] public string? CheckpointPath { get; set; }
    [Parameter] public SwitchParameter SaveBest { get; set; }
    [Parameter] public SwitchParameter Resume { get; set; }
    [Parameter] [ValidateRange(0, int.MaxValue)] public int? EarlyStoppingPatience { get; set; }

    /// <summary>The metric for early stopping, save-best and the best epoch (val_loss by default; train_loss without validation).</summary>
    [Parameter]
    public string? MonitorMetric { get; set; }

    [Parameter] [ValidateSet("min", "max")] public string? MonitorMode { get; set; }
    [Parameter] [ValidateRange(0.0, double.MaxValue)] public double MinDelta { get; set; }
    [Parameter] public string? LogDir { get; set; }

    /// <summary>Seeds the default generator first (the default run seeds with 0).</summary>
    [Parameter] public long? Seed { get; set; }

    [Parameter] public SwitchParameter Quiet { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    readonly CancellationTokenSource cancel = new();
    long lastProgress;

    protected override void StopProcessing() => cancel.Cancel();

    protected override void EndProcessing()
    {
        Trainer trainer;
        try
        {
            trainer = new Trainer(BuildOptions());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or NotSupportedException)
        {
            ThrowTerminatingError(TorchErrors.Record(e, "InvalidTrainingOptions", Model));
            return;
        }
        if (!PassThru) trainer.EpochCompleted += (_, record) => UntilStopped(() => WriteObject(AsPSObject(record)));
        if (!Quiet) trainer.BatchCompleted += (_, p) => UntilStopped(() => ShowProgress(p));
        TrainingRun run;
        try
        {
            run = trainer.Fit(cancel.Token);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException or IOException or NotSupportedException or KeyNotFoundException)
        {
            ThrowTerminatingError(TorchErrors.Record(e, "TrainingFailed", trainer.Options.Model, ErrorCategory.InvalidData));
            return;
        }
        finally
        {
            if (!Quiet && !cancel.IsCancellationRequested) CompleteProgress();
        }
        if (run.Interrupted) return;   // the pipeline is stopping (Ctrl+C): nothing more may be written
        if (run.StoppedEarly) WriteVerbose($"Early stopping after epoch {run.Last?.Epoch}: {run.MonitoredMetric} has not improved since epoch {run.BestEpoch}.");
        if (PassThru) WriteObject(run);
    }

    TrainerOptions BuildOptions()
    {
        var device = TorchErrors.ParseDevice(this, Device);
        var autocastDType = TorchErrors.ParseDType(this, AutocastDType);
        if (autocastDType is not null && !MixedPrecision) throw new ArgumentException("-AutocastDType is the precision of -MixedPrecision: add -MixedPrecision");
        if (Seed is { } seed) Torch.ManualSeed(seed);
        else if (Model is null) Torch.ManualSeed(DefaultClassifier.Seed);
        var model = Model ?? DefaultClassifier.Mlp();
        var trainLoader = TrainLoader ?? DefaultClassifier.TrainLoader(Seed ?? DefaultClassifier.Seed);
        var validationLoader = ValidationLoader ?? (TrainLoader is null ? DefaultClassifier.TestLoader() : null);
        var loss = Loss is null ? new CrossEntropyLoss() : ByName.Loss(DataScripts.Unwrap(Loss)!);
        var optimizer = Optimizer is null
            ? new Adam(model.Parameters(), lr: LearningRate ?? DefaultClassifier.LearningRate)
            : ByName.Optimizer(DataScripts.Unwrap(Optimizer)!, model, LearningRate);
        var topK = (TopK ?? []).Concat(ParseMetrics()).Distinct().ToArray();
        bool monitorChosen = MonitorMetric is not null || MonitorMode is not null || EarlyStoppingPatience is not null || MinDelta > 0;
        var metric = MonitorMetric ?? (validationLoader is null ? MetricNames.TrainLoss : MetricNames.ValidationLoss);
        if (Resume && CheckpointPath is null) throw new ArgumentException("-Resume continues from -CheckpointPath: give the checkpoint's path");
        var checkpoint = CheckpointPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CheckpointPath);
        if (Resume && !File.Exists(checkpoint)) throw new FileNotFoundException($"-Resume: the checkpoint '{checkpoint}' does not exist", checkpoint);
        return new TrainerOptions
        {
            Model = model, Loss = loss, Optimizer = optimizer, TrainLoader = trainLoader, ValidationLoader = validationLoader, Epochs = Epochs,
            Device = device, Scheduler = Scheduler, ClipGradNorm = ClipGradNorm, MixedPrecision = MixedPrecision, AutocastDType = autocastDType, TopK = topK,
            Monitor = monitorChosen ? new MetricMonitor(metric, MonitorMode, EarlyStoppingPatience, MinDelta) : null,
            CheckpointPath = checkpoint, SaveBest = SaveBest, ResumeFrom = Resume ? checkpoint : null,
            LogDir = LogDir is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(LogDir),
        };
    }

    /// <summary>
    /// Runs a write to the pipeline; once the pipeline is stopping (Ctrl+C, or a downstream Select-Object -First) the
    /// write throws, and training is cancelled instead, so the trainer stops at the next batch boundary and saves its checkpoint.
    /// </summary>
    void UntilStopped(Action write)
    {
        if (cancel.IsCancellationRequested) return;
        try { write(); }
        catch (PipelineStoppedException) { cancel.Cancel(); }
    }

    /// <summary>The k of each topN in -Metrics; loss and accuracy are always measured.</summary>
    IEnumerable<int> ParseMetrics()
    {
        foreach (var name in Metrics ?? [])
        {
            var m = name.Trim().ToLowerInvariant();
            if (m is "loss" or "accuracy" or "acc") continue;
            if (m.StartsWith("top", StringComparison.Ordinal) && int.TryParse(m.AsSpan(3), out int k) && k > 0) yield return k;
            else throw new ArgumentException($"Unknown metric '{name}'. Use loss, accuracy or topN (top5).");
        }
    }

    /// <summary>The record with its extra metrics (train_top5 -> TrainTop5) as properties, so they export as columns.</summary>
    static PSObject AsPSObject(EpochRecord record)
    {
        var o = new PSObject(record);
        foreach (var (name, value) in record.GetExtraMetrics())
            o.Properties.Add(new PSNoteProperty(PascalMetricName(name), value));
        return o;
    }

    static string PascalMetricName(string name) => name.StartsWith("val_", StringComparison.Ordinal)
        ? "Validation" + Capitalize(name[4..])
        : string.Concat(name.Split('_').Select(Capitalize));

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    void ShowProgress(BatchProgress p)
    {
        long now = Stopwatch.GetTimestamp();
        bool epochDone = p.Batches > 0 && p.Batch == p.Batches;
        if (!epochDone && Stopwatch.GetElapsedTime(lastProgress, now) < ProgressInterval) return;
        lastProgress = now;
        var epoch = new ProgressRecord(EpochActivity, "Training", $"Epoch {p.Epoch}/{p.Epochs}")
        {
            PercentComplete = p.Epochs > 0 ? Math.Clamp((int)(100.0 * (p.Epoch - 1) / p.Epochs), 0, 100) : -1,
        };
        WriteProgress(epoch);
        var status = p.Batches > 0 ? $"Batch {p.Batch}/{p.Batches}" : $"Batch {p.Batch}";
        var scale = p.LossScale is { } lossScale ? $"  scale {lossScale:G}" : "";
        var batch = new ProgressRecord(BatchActivity, $"Epoch {p.Epoch}",
            $"{status}  loss {p.RunningLoss:F4}  {p.SamplesPerSecond:F0} samples/s  lr {p.LearningRate:G3}{scale}")
        {
            ParentActivityId = EpochActivity,
            PercentComplete = p.Batches > 0 ? Math.Clamp(100 * p.Batch / p.Batches, 0, 100) : -1,
        };
        WriteProgress(batch);
    }

    void CompleteProgress()
    {
        if (lastProgress == 0) return;
        WriteProgress(new ProgressRecord(BatchActivity, "Epoch", "Done") { ParentActivityId = EpochActivity, RecordType = ProgressRecordType.Completed });
        WriteProgress(new ProgressRecord(EpochActivity, "Training", "Done") { RecordType = ProgressRecordType.Completed });
    }
}
