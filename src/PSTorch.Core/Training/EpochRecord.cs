namespace PSTorch.Training;

/// <summary>
/// One finished epoch of <see cref="Trainer"/>: losses and accuracies (null when not measured), the learning rate of
/// the first parameter group at the epoch's end (before the epoch's scheduler step), the epoch's wall time and the
/// training throughput. Extra metrics (top-k accuracies) are read with <see cref="GetMetric"/>; they are kept out of
/// the properties so that a record exports to CSV as plain columns.
/// </summary>
public sealed class EpochRecord
{
    readonly Dictionary<string, double> extra;

    public EpochRecord(int epoch, double trainLoss, double? trainAccuracy, double? validationLoss, double? validationAccuracy,
        double learningRate, double seconds, double samplesPerSecond, IReadOnlyDictionary<string, double>? extraMetrics = null)
    {
        Epoch = epoch;
        TrainLoss = trainLoss;
        TrainAccuracy = trainAccuracy;
        ValidationLoss = validationLoss;
        ValidationAccuracy = validationAccuracy;
        LearningRate = learningRate;
        Seconds = seconds;
        SamplesPerSecond = samplesPerSecond;
        extra = extraMetrics is null ? [] : new Dictionary<string, double>(extraMetrics);
    }

    /// <summary>The epoch number, from 1.</summary>
    public int Epoch { get; }
    public double TrainLoss { get; }
    public double? TrainAccuracy { get; }
    public double? ValidationLoss { get; }
    public double? ValidationAccuracy { get; }
    public double LearningRate { get; }

    /// <summary>Wall time of the epoch: training and validation.</summary>
    public double Seconds { get; }

    /// <summary>Training samples per second of the training phase (validation excluded).</summary>
    public double SamplesPerSecond { get; }

    /// <summary>The extra metrics by name: train_top5, val_top5, ...</summary>
    public IReadOnlyDictionary<string, double> GetExtraMetrics() => extra;

    /// <summary>
    /// A metric by name: train_loss, train_accuracy, val_loss, val_accuracy, lr, or an extra metric (val_top5); null
    /// when this epoch did not measure it.
    /// </summary>
    public double? GetMetric(string name) => name switch
    {
        MetricNames.TrainLoss => TrainLoss,
        MetricNames.TrainAccuracy => TrainAccuracy,
        MetricNames.ValidationLoss => ValidationLoss,
        MetricNames.ValidationAccuracy => ValidationAccuracy,
        MetricNames.LearningRate => LearningRate,
        _ => extra.TryGetValue(name, out var v) ? v : null,
    };

    public override string ToString() =>
        $"Epoch {Epoch}: train loss {TrainLoss:F4}" + Part("train acc", TrainAccuracy, "P2") + Part("val loss", ValidationLoss, "F4")
        + Part("val acc", ValidationAccuracy, "P2") + $", lr {LearningRate:G4}, {Seconds:F2} s";

    static string Part(string label, double? value, string format) => value is { } v ? $", {label} {v.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}" : "";
}

/// <summary>The names metrics go by in <see cref="EpochRecord.GetMetric"/>, early stopping and save-best.</summary>
public static class MetricNames
{
    public const string TrainLoss = "train_loss";
    public const string TrainAccuracy = "train_accuracy";
    public const string ValidationLoss = "val_loss";
    public const string ValidationAccuracy = "val_accuracy";
    public const string LearningRate = "lr";

    /// <summary>train_top5 / val_top5.</summary>
    public static string TopK(bool validation, int k) => (validation ? "val_top" : "train_top") + k;

    /// <summary>Whether a larger value of the metric is better (accuracies) or a smaller one (losses).</summary>
    public static bool HigherIsBetter(string metric) => metric.Contains("accuracy", StringComparison.Ordinal) || metric.Contains("_top", StringComparison.Ordinal);
}
