using PSTorch.Amp;

namespace PSTorch.Training;

/// <summary>
/// Where training stands after a batch: passed to <see cref="Trainer.BatchCompleted"/> (one instance, updated in place,
/// so progress costs no allocation). The losses and the loss scale stay on the training device until read: reading
/// them waits for the device to finish the step, so a progress display reads them at its own, throttled pace and the
/// training loop itself never waits for the device inside a step.
/// </summary>
public sealed class BatchProgress
{
    Tensor? batchLoss;
    MetricAccumulator? epochMetrics;
    GradScaler? scaler;

    /// <summary>The current epoch, from 1, and the number of epochs asked for.</summary>
    public int Epoch { get; internal set; }
    public int Epochs { get; internal set; }

    /// <summary>Batches done in this epoch and the epoch's batch count (0 when the loader has no length).</summary>
    public int Batch { get; internal set; }
    public int Batches { get; internal set; }

    /// <summary>Optimizer steps since training began (resumes included).</summary>
    public long GlobalStep { get; internal set; }

    /// <summary>This batch's loss and the mean loss of the epoch so far (read from the device when asked; NaN outside a batch's event).</summary>
    public double Loss => batchLoss?.Item<double>() ?? double.NaN;
    public double RunningLoss => epochMetrics?.Loss ?? double.NaN;

    /// <summary>Training samples per second in this epoch so far.</summary>
    public double SamplesPerSecond { get; internal set; }

    public double LearningRate { get; internal set; }

    /// <summary>The mixed-precision loss scale after this batch's update (null when no gradient scaler is at work).</summary>
    public double? LossScale => scaler is { IsEnabled: true } s ? s.GetScale() : null;

    /// <summary>The batch just trained: takes over <paramref name="loss"/> (released at the next batch or <see cref="Clear"/>).</summary>
    internal void SetBatch(Tensor loss, MetricAccumulator metrics, GradScaler? lossScaler)
    {
        batchLoss?.Dispose();
        batchLoss = loss;
        epochMetrics = metrics;
        scaler = lossScaler;
    }

    /// <summary>Releases the last batch's loss at the end of an epoch.</summary>
    internal void Clear()
    {
        batchLoss?.Dispose();
        batchLoss = null;
        epochMetrics = null;
    }
}
