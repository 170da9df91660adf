using System.Globalization;
using System.Text;

namespace PSTorch.Training;

/// <summary>What <see cref="Evaluation.Run"/> measured over a loader: mean loss, accuracy, top-k accuracies, per-class accuracy and the confusion matrix (classifiers).</summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(long samples, double? loss, double? accuracy, IReadOnlyDictionary<int, double> topK, ConfusionMatrix? confusion, double seconds)
    {
        Samples = samples;
        Loss = loss;
        Accuracy = accuracy;
        TopKAccuracy = topK;
        ConfusionMatrix = confusion;
        PerClassAccuracy = confusion?.PerClassAccuracy() ?? [];
        Seconds = seconds;
    }

    public long Samples { get; }

    /// <summary>Mean loss per sample (null without a loss function).</summary>
    public double? Loss { get; }

    /// <summary>Top-1 accuracy (null when the outputs are not class scores).</summary>
    public double? Accuracy { get; }

    /// <summary>Top-k accuracy by k.</summary>
    public IReadOnlyDictionary<int, double> TopKAccuracy { get; }

    /// <summary>Accuracy of each true class (NaN for a class with no samples), by class index.</summary>
    public IReadOnlyList<double> PerClassAccuracy { get; }

    public ConfusionMatrix? ConfusionMatrix { get; }
    public double Seconds { get; }

    /// <summary>Per-class accuracy with class names: Class, Accuracy, Support rows.</summary>
    public IEnumerable<ClassAccuracy> GetClassAccuracies()
    {
        if (ConfusionMatrix is null) yield break;
        for (int i = 0; i < ConfusionMatrix.NumClasses; i++)
            yield return new ClassAccuracy(i, ConfusionMatrix.ClassNames[i], PerClassAccuracy[i], ConfusionMatrix.Support(i));
    }

    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder($"Evaluation over {Samples} samples");
        if (Loss is { } l) sb.Append(inv, $": loss {l:F4}");
        if (Accuracy is { } a) sb.Append(inv, $", accuracy {a:P2}");
        foreach (var (k, v) in TopKAccuracy.OrderBy(kv => kv.Key)) sb.Append(inv, $", top-{k} {v:P2}");
        return sb.ToString();
    }
}

/// <summary>One class's accuracy in an <see cref="EvaluationResult"/>.</summary>
public sealed record ClassAccuracy(int Index, string Class, double Accuracy, long Support);
