namespace PSTorch.Training;

/// <summary>Where training stands after a batch: passed to <see cref="Trainer.BatchCompleted"/> (one instance, updated in place, so progress costs no allocation).</summary>
public sealed class BatchProgress
{
    /// <summary>The current epoch, from 1, and the number of epochs asked for.</summary>
    public int Epoch { get; internal set; }
    public int Epochs { get; internal set; }

    /// <summary>Batches done in this epoch and the epoch's batch count (0 when the loader has no length).</summary>
    public int Batch { get; internal set; }
    public int Batches { get; internal set; }

    /// <summary>Optimizer steps since training began (resumes included).</summary>
    public long GlobalStep { get; internal set; }

    /// <summary>This batch's loss and the mean loss of the epoch so far.</summary>
    public double Loss { get; internal set; }
    public double RunningLoss { get; internal set; }

    /// <summary>Training samples per second in this epoch so far.</summary>
    public double SamplesPerSecond { get; internal set; }

    public double LearningRate { get; internal set; }

    /// <summary>The mixed-precision loss scale after this batch's update (null when no gradient scaler is at work).</summary>
    public double? LossScale { get; internal set; }
}
