using System.Diagnostics;
using PSTorch.Amp;
using PSTorch.Data;
using PSTorch.IO.TensorBoard;
using PSTorch.NN;
using PSTorch.NN.Utils;
using PSTorch.Optim;

namespace PSTorch.Training;

/// <summary>
/// The training loop: epochs of zero-grad, forward, loss, backward, optional gradient clipping, optimizer step and
/// per-batch scheduler step, then validation, the per-epoch scheduler step, the epoch's <see cref="EpochRecord"/>,
/// checkpoints (every epoch, the best one, and on cancellation) and early stopping. With
/// <see cref="TrainerOptions.MixedPrecision"/> it follows PyTorch's AMP recipe: forward and loss under autocast, backward
/// on the scaled loss, unscaling before clipping, and the scaler's step and update.
/// <para>
/// Each step releases what it allocated (the batch, outputs, loss, the previous gradients) as soon as it is done.
/// Cancellation is honoured at batch boundaries. A checkpoint taken mid-epoch resumes exactly: the epoch's order is
/// regenerated from the generators' states at the epoch's start, the batches already trained on are skipped without
/// being loaded, the running sums continue, and the generators are set to their states at the interruption. So N epochs,
/// and k epochs + resume + N - k epochs, or an interruption anywhere + resume, give the same weights bit for bit on the CPU
/// (loaders built the same way; a loader without its own generator draws from the default generator, which is saved too).
/// </para>
/// </summary>
public sealed class Trainer
{
    readonly BatchProgress progress = new();
    readonly DType? autocastDType;

    public Trainer(TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Epochs < 0) throw new ArgumentException($"epochs must be >= 0, got {options.Epochs}");
        if (options.ClipGradNorm is <= 0) throw new ArgumentException($"the gradient clipping norm must be positive, got {options.ClipGradNorm}");
        if (options.SaveBest && options.CheckpointPath is null) throw new ArgumentException("save-best needs a checkpoint path");
        Monitor = options.Monitor ?? new MetricMonitor(options.ValidationLoader is null ? MetricNames.TrainLoss : MetricNames.ValidationLoss);
        if (Monitor.Metric.StartsWith("val_", StringComparison.Ordinal) && options.ValidationLoader is null)
            throw new ArgumentException($"the monitored metric '{Monitor.Metric}' needs a validation loader");
        if (options.Scheduler is not null && !ReferenceEquals(options.Scheduler.Optimizer, options.Optimizer))
            throw new ArgumentException("the scheduler belongs to another optimizer than the one being trained");
        if (options.AutocastDType is { } requested)
        {
            if (!options.MixedPrecision) throw new ArgumentException("an autocast dtype is the precision of mixed precision: turn mixed precision on to use it");
            if (requested is not (DType.BFloat16 or DType.Float16))
                throw new ArgumentException($"mixed precision runs in bfloat16 or float16, got {requested.TorchName()}");
        }
        if (options.MixedPrecision)
        {
            var device = options.Device ?? Evaluation.ModelDevice(options.Model);
            autocastDType = options.AutocastDType ?? (device.Type == DeviceType.Cpu ? DType.BFloat16 : DType.Float16);
            // PyTorch scales float16 losses only: bfloat16 has float32's exponent range, so its gradients do not underflow.
            Scaler = new GradScaler(device, enabled: autocastDType == DType.Float16);
        }
        Options = options;
    }

    public TrainerOptions Options { get; }

    /// <summary>The loss scaler of mixed precision (null without; disabled, passing everything through, for bfloat16). Saved in the checkpoints.</summary>
    public GradScaler? Scaler { get; }

    /// <summary>The metric behind the best epoch, save-best and early stopping.</summary>
    public MetricMonitor Monitor { get; }

    /// <summary>After every training batch (on the training thread).</summary>
    public event EventHandler<BatchProgress>? BatchCompleted;

    /// <summary>After every epoch, once its checkpoint is saved (on the training thread).</summary>
    public event EventHandler<EpochRecord>? EpochCompleted;

    /// <summary>Where save-best keeps the best checkpoint: model.safetensors -> model.best.safetensors.</summary>
    public static string BestCheckpointPathFor(string checkpointPath)
    {
        var full = Path.GetFullPath(checkpointPath);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".best" + Path.GetExtension(full));
    }

    /// <summary>Trains until the last epoch, early stopping or cancellation (then a checkpoint is saved when a path is set).</summary>
    public TrainingRun Fit(CancellationToken cancellation = default)
    {
        var o = Options;
        var model = o.Model;
        var device = o.Device ?? Evaluation.ModelDevice(model);
        if (Evaluation.ModelDevice(model) != device) model.To(device);
        var generators = RngSnapshot.GeneratorsOf(o.TrainLoader, o.ValidationLoader);
        var history = new List<EpochRecord>();
        long globalStep = 0;
        int epochsDone = 0;
        TrainingState.PartialEpoch? partial = null;
        RngSnapshot? partialBoundary = null;
        if (o.ResumeFrom is not null)
        {
            var resumed = TrainingCheckpoint.Resume(o.ResumeFrom, o, device, generators, Scaler);
            if (resumed.MonitorMetric.Length > 0 && resumed.MonitorMetric != Monitor.Metric)
                throw new InvalidOperationException($"the checkpoint monitored '{resumed.MonitorMetric}', this run monitors '{Monitor.Metric}': resume with the same metric");
            epochsDone = resumed.EpochsDone;
            globalStep = resumed.GlobalStep;
            history.AddRange(resumed.History.Select(h => h.ToRecord()));
            if (resumed.MonitorMetric.Length > 0) Monitor.Restore(resumed.Best, resumed.BestEpoch, resumed.EpochsWithoutImprovement);
            partial = resumed.Partial;
            partialBoundary = resumed.Rng;
        }

        var parameters = o.Optimizer.ParamGroups.SelectMany(g => g.Params).ToArray();
        string? bestPath = o.SaveBest ? BestCheckpointPathFor(o.CheckpointPath!) : null;
        bool stoppedEarly = Monitor.ShouldStop && epochsDone < o.Epochs, interrupted = false;
        using var writer = o.LogDir is null ? null : new SummaryWriter(o.LogDir);
        int batches = o.TrainLoader.IterableDataset is null ? o.TrainLoader.Count : 0;

        for (int epoch = epochsDone + 1; epoch <= o.Epochs && !stoppedEarly; epoch++)
        {
            var clock = Stopwatch.StartNew();
            using var train = new MetricAccumulator(o.TopK);
            RngSnapshot epochStart;
            double priorSeconds = 0, priorTrainSeconds = 0;
            int skip = 0;
            if (partial is not null)
            {
                epochStart = partial.EpochStartRng;
                epochStart.Apply(generators);
                train.Restore(partial.LossSum, partial.Samples, partial.BatchesDone, partial.Correct, partial.TopKCorrect, partial.IsClassification);
                (skip, priorSeconds, priorTrainSeconds) = (partial.BatchesDone, partial.Seconds, partial.TrainSeconds);
            }
            else epochStart = RngSnapshot.Capture(generators);

            progress.Epoch = epoch;
            progress.Epochs = o.Epochs;
            progress.Batches = batches;
            model.Train();
            var outcome = TrainEpoch(train, skip, partial is not null ? partialBoundary : null, parameters, device, writer, ref globalStep, priorTrainSeconds, cancellation);
            double trainSeconds = priorTrainSeconds + clock.Elapsed.TotalSeconds;
            // The state to resume from when stopped now: the last batch boundary's (the one loaded, if no batch ran since).
            var boundary = outcome.Boundary ?? (partial is not null ? partialBoundary! : null);
            partial = null;
            partialBoundary = null;

            using var validation = !outcome.Cancelled && o.ValidationLoader is not null ? new MetricAccumulator(o.TopK) : null;
            if (validation is not null)
            {
                boundary = RngSnapshot.Capture(generators);
                if (!Autocasting(device, () => Evaluation.Accumulate(model, o.ValidationLoader!, o.ValidationLoader!.BatchesAreNew, o.Loss, validation, device, cancellation)))
                    outcome = outcome with { Cancelled = true };
            }
            if (outcome.Cancelled)
            {
                interrupted = true;
                if (o.CheckpointPath is not null)
                {
                    var stop = State(epoch - 1, globalStep, history, boundary ?? epochStart);
                    if (boundary is not null)
                        stop.Partial = new TrainingState.PartialEpoch
                        {
                            BatchesDone = (int)train.Batches, EpochStartRng = epochStart, LossSum = train.LossSum, Samples = train.Samples,
                            Correct = train.Correct, TopKCorrect = train.TopKCorrect, IsClassification = train.IsClassification,
                            Seconds = priorSeconds + clock.Elapsed.TotalSeconds, TrainSeconds = trainSeconds,
                        };
                    TrainingCheckpoint.Save(o.CheckpointPath, o, epoch - 1, stop, Scaler);
                }
                break;
            }

            double lr = o.Optimizer.ParamGroups[0].LearningRate;
            var extra = new Dictionary<string, double>();
            foreach (var (k, acc) in train.TopKAccuracies()) extra[MetricNames.TopK(false, k)] = acc;
            foreach (var (k, acc) in validation?.TopKAccuracies() ?? []) extra[MetricNames.TopK(true, k)] = acc;
            var record = new EpochRecord(epoch, train.Loss ?? double.NaN, train.Accuracy, validation?.Loss, validation?.Accuracy, lr,
                priorSeconds + clock.Elapsed.TotalSeconds, trainSeconds > 0 ? train.Samples / trainSeconds : 0, extra);
            history.Add(record);

            if (o.Scheduler is ReduceLROnPlateau plateau) plateau.Step(record.ValidationLoss ?? record.TrainLoss);
            else if (o.Scheduler is { Interval: SchedulerInterval.Epoch } scheduler) scheduler.Step();

            var monitored = record.GetMetric(Monitor.Metric)
                ?? throw new InvalidOperationException($"the monitored metric '{Monitor.Metric}' was not measured (known: {string.Join(", ", KnownMetrics(record))})");
            bool improved = Monitor.Update(epoch, monitored);
            if (writer is not null) LogEpoch(writer, record);
            if (o.CheckpointPath is not null)
            {
                var state = State(epoch, globalStep, history, RngSnapshot.Capture(generators));
                TrainingCheckpoint.Save(o.CheckpointPath, o, epoch, state, Scaler);
                if (improved && bestPath is not null) TrainingCheckpoint.Save(bestPath, o, epoch, state, Scaler);
            }
            EpochCompleted?.Invoke(this, record);
            if (Monitor.ShouldStop && epoch < o.Epochs) stoppedEarly = true;
        }
        return new TrainingRun(model, o.Optimizer, history, Monitor.Metric, Monitor.BestEpoch, Monitor.Best, stoppedEarly, interrupted,
            o.CheckpointPath is null ? null : Path.GetFullPath(o.CheckpointPath), bestPath);
    }

    static IEnumerable<string> KnownMetrics(EpochRecord r) =>
        new[] { MetricNames.TrainLoss, MetricNames.TrainAccuracy, MetricNames.ValidationLoss, MetricNames.ValidationAccuracy }
            .Where(m => r.GetMetric(m) is not null).Concat(r.GetExtraMetrics().Keys);

    TrainingState State(int epochsDone, long globalStep, List<EpochRecord> history, RngSnapshot rng) => new()
    {
        EpochsDone = epochsDone, GlobalStep = globalStep, Rng = rng, MonitorMetric = Monitor.Metric, Best = Monitor.Best,
        BestEpoch = Monitor.BestEpoch, EpochsWithoutImprovement = Monitor.EpochsWithoutImprovement,
        History = history.Select(TrainingState.RecordState.From).ToList(),
    };

    /// <summary>How an epoch's training phase ended; Boundary is the generators' state at the last batch boundary (null if no batch was loaded).</summary>
    readonly record struct EpochOutcome(bool Cancelled, RngSnapshot? Boundary);

    EpochOutcome TrainEpoch(MetricAccumulator train, int skip, RngSnapshot? resumeBoundary, Parameter[] parameters, Device device, SummaryWriter? writer,
        ref long globalStep, double priorTrainSeconds, CancellationToken cancellation)
    {
        var o = Options;
        var generators = RngSnapshot.GeneratorsOf(o.TrainLoader, o.ValidationLoader);
        var batches = resumeBoundary is not null ? o.TrainLoader.ResumeEpoch(skip) : o.TrainLoader;
        var clock = Stopwatch.StartNew();
        long samplesAtStart = train.Samples;
        if (cancellation.IsCancellationRequested) return new(true, null);
        using var prefetcher = new BatchPrefetcher(batches.GetEnumerator(), device, o.TrainLoader.BatchesAreNew);
        using var lossLog = writer is null ? null : new StepLossLog(writer);
        prefetcher.Start();
        // The epoch's order has been drawn again from the epoch-start state; continue from the interruption's state.
        resumeBoundary?.Apply(generators);
        try
        {
            while (true)
            {
                if (cancellation.IsCancellationRequested) return new(true, RngSnapshot.Capture(generators));
                if (!prefetcher.TryTake(out var batch)) return new(false, null);
                Tensor loss;
                using (batch) loss = Step(batch, train, parameters, device);
                globalStep++;
                if (o.Scheduler is { Interval: SchedulerInterval.Batch } scheduler and not ReduceLROnPlateau) scheduler.Step();
                lossLog?.Add(globalStep, loss);
                progress.SetBatch(loss, train, Scaler);
                if (BatchCompleted is { } handler)
                {
                    progress.Batch = (int)train.Batches;
                    progress.GlobalStep = globalStep;
                    progress.SamplesPerSecond = (train.Samples - samplesAtStart) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                    progress.LearningRate = o.Optimizer.ParamGroups[0].LearningRate;
                    handler(this, progress);
                }
            }
        }
        finally
        {
            progress.Clear();
        }
    }

    /// <summary>
    /// One optimisation step; returns the batch's loss, detached and still on the training device: nothing in a step
    /// waits for the device (the mixed-precision scaler's inf check aside, as in PyTorch). Everything else the step
    /// allocated is released before it returns.
    /// </summary>
    Tensor Step(BatchTensors batch, MetricAccumulator train, Parameter[] parameters, Device device)
    {
        var o = Options;
        ReleaseGradients(parameters);
        var target = batch.Target ?? throw new ArgumentException("training batches need targets: the dataset's samples should be (input, target) pairs");
        var output = Autocasting(device, () => o.Model.Call(batch.Input));
        try
        {
            using var loss = Autocasting(device, () => o.Loss.Call(output, target));
            Backward(loss);
            if (o.ClipGradNorm is { } maxNorm)
            {
                Scaler?.Unscale_(o.Optimizer);   // clip the true gradients, not the scaled ones
                ClipGrad.ClipGradNorm_(parameters, maxNorm).Dispose();
            }
            if (Scaler is null) o.Optimizer.Step();
            else
            {
                // A step whose gradients hold inf or NaN is skipped; the batch still counts (step, scheduler, metrics), as in PyTorch's loop.
                Scaler.Step(o.Optimizer);
                Scaler.Update();
            }
            train.Add(loss, output, target);
            return loss.Detach();
        }
        finally
        {
            if (!ReferenceEquals(output, batch.Input)) output.Dispose();
        }
    }

    /// <summary>Runs a forward pass or a loss under the autocast of mixed precision (as it is, without mixed precision).</summary>
    T Autocasting<T>(Device device, Func<T> run)
    {
        if (autocastDType is not { } dtype) return run();
        using (Torch.Autocast(device, dtype)) return run();
    }

    /// <summary>Back-propagates the loss, scaled when the scaler is enabled (the backward itself runs outside autocast, as in PyTorch).</summary>
    void Backward(Tensor loss)
    {
        if (Scaler is not { IsEnabled: true } scaler)
        {
            loss.Backward();
            return;
        }
        using var scaled = scaler.Scale(loss);
        scaled.Backward();
    }

    /// <summary>zero_grad(set_to_none=True), releasing the old gradients' memory now rather than at garbage collection.</summary>
    static void ReleaseGradients(Parameter[] parameters)
    {
        foreach (var p in parameters)
        {
            p.Grad?.Dispose();
            p.Grad = null;
        }
    }

    static void LogEpoch(SummaryWriter writer, EpochRecord r)
    {
        writer.AddScalar("epoch/train_loss", r.TrainLoss, r.Epoch);
        if (r.TrainAccuracy is { } ta) writer.AddScalar("epoch/train_accuracy", ta, r.Epoch);
        if (r.ValidationLoss is { } vl) writer.AddScalar("epoch/val_loss", vl, r.Epoch);
        if (r.ValidationAccuracy is { } va) writer.AddScalar("epoch/val_accuracy", va, r.Epoch);
        foreach (var (name, value) in r.GetExtraMetrics()) writer.AddScalar("epoch/" + name, value, r.Epoch);
        writer.AddScalar("lr", r.LearningRate, r.Epoch);
        writer.AddScalar("epoch/seconds", r.Seconds, r.Epoch);
        writer.Flush();
    }
}
