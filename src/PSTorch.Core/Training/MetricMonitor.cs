namespace PSTorch.Training;

/// <summary>
/// Watches one epoch metric (val_loss by default) for the best epoch — what save-best keeps — and, with a
/// <see cref="Patience"/>, for early stopping: training stops once the metric has not improved by more than
/// <see cref="MinDelta"/> for <see cref="Patience"/> epochs in a row (Keras/Lightning EarlyStopping).
/// </summary>
public sealed class MetricMonitor
{
    /// <param name="metric">train_loss, train_accuracy, val_loss, val_accuracy, val_top5, ... (see <see cref="MetricNames"/>).</param>
    /// <param name="mode">"min" or "max"; null picks "max" for accuracies and "min" otherwise.</param>
    /// <param name="patience">Epochs without improvement before stopping; null never stops early.</param>
    /// <param name="minDelta">The least change that counts as an improvement (absolute, >= 0).</param>
    public MetricMonitor(string metric = MetricNames.ValidationLoss, string? mode = null, int? patience = null, double minDelta = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        mode ??= MetricNames.HigherIsBetter(metric) ? "max" : "min";
        if (mode is not ("min" or "max")) throw new ArgumentException($"mode {mode} is unknown! Use 'min' or 'max'.", nameof(mode));
        if (patience is < 0) throw new ArgumentException($"patience must be >= 0, got {patience}", nameof(patience));
        if (minDelta < 0 || double.IsNaN(minDelta)) throw new ArgumentException($"min_delta must be >= 0, got {minDelta}", nameof(minDelta));
        Metric = metric;
        Mode = mode;
        Patience = patience;
        MinDelta = minDelta;
    }

    public string Metric { get; }
    public string Mode { get; }
    public int? Patience { get; }
    public double MinDelta { get; }

    /// <summary>The best value so far (null before the first).</summary>
    public double? Best { get; private set; }

    /// <summary>The epoch of <see cref="Best"/> (0 before the first).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Epochs since the last improvement.</summary>
    public int EpochsWithoutImprovement { get; private set; }

    /// <summary>Whether early stopping asks to stop now.</summary>
    public bool ShouldStop => Patience is { } p && EpochsWithoutImprovement >= p;

    /// <summary>Records an epoch's value; returns true when it is a new best. A NaN never improves.</summary>
    public bool Update(int epoch, double value)
    {
        bool improved = !double.IsNaN(value) && (Best is not { } best || (Mode == "min" ? value < best - MinDelta : value > best + MinDelta));
        if (improved)
        {
            Best = value;
            BestEpoch = epoch;
            EpochsWithoutImprovement = 0;
        }
        else EpochsWithoutImprovement++;
        return improved;
    }

    /// <summary>Restores the state saved in a checkpoint.</summary>
    public void Restore(double? best, int bestEpoch, int epochsWithoutImprovement)
    {
        Best = best;
        BestEpoch = bestEpoch;
        EpochsWithoutImprovement = epochsWithoutImprovement;
    }

    public override string ToString() => $"MetricMonitor({Metric}, mode={Mode}, patience={Patience?.ToString() ?? "None"}, min_delta={MinDelta})";
}
