using System.Text.Json;
using System.Text.Json.Serialization;

namespace PSTorch.Training;

/// <summary>
/// The trainer's own state, kept as JSON in a checkpoint's metadata under <see cref="MetadataKey"/>: epochs done,
/// the step count, the generators' states, the monitor, the history and, for a checkpoint taken mid-epoch, where
/// the epoch stood (batches done, the running sums and the generators' states at the epoch's start).
/// </summary>
internal sealed class TrainingState
{
    public const string MetadataKey = "pstorch.trainer";

    static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Epochs finished before this checkpoint.</summary>
    public int EpochsDone { get; set; }
    public long GlobalStep { get; set; }

    /// <summary>The generators at the last batch boundary (null for a checkpoint written outside a trainer).</summary>
    public RngSnapshot? Rng { get; set; }

    public string MonitorMetric { get; set; } = "";
    public double? Best { get; set; }
    public int BestEpoch { get; set; }
    public int EpochsWithoutImprovement { get; set; }
    public List<RecordState> History { get; set; } = [];

    /// <summary>Set when the checkpoint was taken inside epoch EpochsDone + 1.</summary>
    public PartialEpoch? Partial { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TrainingState FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingState>(json, Json) ?? throw new InvalidDataException("the checkpoint's trainer state is empty");

    internal sealed class PartialEpoch
    {
        /// <summary>Training batches done (all of them when validation was interrupted).</summary>
        public int BatchesDone { get; set; }
        public RngSnapshot EpochStartRng { get; set; } = null!;
        public double LossSum { get; set; }
        public long Samples { get; set; }
        public long Correct { get; set; }
        public long[] TopKCorrect { get; set; } = [];
        public bool IsClassification { get; set; }
        public double Seconds { get; set; }
        public double TrainSeconds { get; set; }
    }

    internal sealed class RecordState
    {
        public int Epoch { get; set; }
        public double TrainLoss { get; set; }
        public double? TrainAccuracy { get; set; }
        public double? ValidationLoss { get; set; }
        public double? ValidationAccuracy { get; set; }
        public double LearningRate { get; set; }
        public double Seconds { get; set; }
        public double SamplesPerSecond { get; set; }
        public Dictionary<string, double>? Extra { get; set; }

        public static RecordState From(EpochRecord r) => new()
        {
            Epoch = r.Epoch, TrainLoss = r.TrainLoss, TrainAccuracy = r.TrainAccuracy, ValidationLoss = r.ValidationLoss,
            ValidationAccuracy = r.ValidationAccuracy, LearningRate = r.LearningRate, Seconds = r.Seconds, SamplesPerSecond = r.SamplesPerSecond,
            Extra = r.GetExtraMetrics().Count > 0 ? new(r.GetExtraMetrics()) : null,
        };

        public EpochRecord ToRecord() => new(Epoch, TrainLoss, TrainAccuracy, ValidationLoss, ValidationAccuracy, LearningRate, Seconds, SamplesPerSecond, Extra);
    }
}
