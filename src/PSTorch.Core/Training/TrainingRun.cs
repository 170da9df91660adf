using PSTorch.NN;
using PSTorch.Optim;

namespace PSTorch.Training;

/// <summary>What <see cref="Trainer.Fit"/> returns: the trained model and optimizer, every epoch's record (those before a resume included), the best epoch, and how training ended.</summary>
public sealed class TrainingRun
{
    internal TrainingRun(Module model, Optimizer optimizer, IReadOnlyList<EpochRecord> history, string monitoredMetric, int bestEpoch, double? bestMetric,
        bool stoppedEarly, bool interrupted, string? checkpointPath, string? bestCheckpointPath)
    {
        Model = model;
        Optimizer = optimizer;
        History = history;
        MonitoredMetric = monitoredMetric;
        BestEpoch = bestEpoch;
        BestMetric = bestMetric;
        StoppedEarly = stoppedEarly;
        Interrupted = interrupted;
        CheckpointPath = checkpointPath;
        BestCheckpointPath = bestCheckpointPath;
    }

    public Module Model { get; }
    public Optimizer Optimizer { get; }
    public IReadOnlyList<EpochRecord> History { get; }

    /// <summary>The metric <see cref="BestEpoch"/> and <see cref="BestMetric"/> refer to.</summary>
    public string MonitoredMetric { get; }
    public int BestEpoch { get; }
    public double? BestMetric { get; }

    /// <summary>Early stopping ended training before the last epoch.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Cancellation stopped training at a batch boundary.</summary>
    public bool Interrupted { get; }

    public string? CheckpointPath { get; }
    public string? BestCheckpointPath { get; }

    /// <summary>The last finished epoch's record, or null when none finished.</summary>
    public EpochRecord? Last => History.Count > 0 ? History[^1] : null;

    public override string ToString() =>
        $"TrainingRun({History.Count} epochs, best {MonitoredMetric} {BestMetric?.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} at epoch {BestEpoch}"
        + (StoppedEarly ? ", stopped early" : "") + (Interrupted ? ", interrupted" : "") + ")";
}
