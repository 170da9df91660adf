using System.Globalization;
using System.Text;

namespace PSTorch.Training;

/// <summary>
/// Counts of (true class, predicted class): row = the true class, column = the prediction. Prints as a table with
/// the class names (or indices) on both axes.
/// </summary>
public sealed class ConfusionMatrix
{
    readonly long[,] counts;

    public ConfusionMatrix(long[,] counts, IReadOnlyList<string>? classNames = null)
    {
        if (counts.GetLength(0) != counts.GetLength(1)) throw new ArgumentException("a confusion matrix is square (classes x classes)");
        this.counts = (long[,])counts.Clone();
        NumClasses = counts.GetLength(0);
        ClassNames = Enumerable.Range(0, NumClasses).Select(i => classNames is not null && i < classNames.Count ? classNames[i] : i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    public int NumClasses { get; }
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>How many samples of class <paramref name="trueClass"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int trueClass, int predicted] => counts[trueClass, predicted];

    /// <summary>The counts as a new array.</summary>
    public long[,] ToArray() => (long[,])counts.Clone();

    /// <summary>The counts as a [classes, classes] int64 tensor.</summary>
    public Tensor ToTensor()
    {
        var flat = new long[NumClasses * NumClasses];
        for (int i = 0; i < NumClasses; i++)
            for (int j = 0; j < NumClasses; j++) flat[i * NumClasses + j] = counts[i, j];
        return Torch.FromArray(flat).View(NumClasses, NumClasses);
    }

    /// <summary>Samples whose true class is <paramref name="trueClass"/>.</summary>
    public long Support(int trueClass)
    {
        long s = 0;
        for (int j = 0; j < NumClasses; j++) s += counts[trueClass, j];
        return s;
    }

    /// <summary>Per-class accuracy (recall): the diagonal over the row; NaN for a class with no samples.</summary>
    public double[] PerClassAccuracy() => Enumerable.Range(0, NumClasses)
        .Select(i => Support(i) is var n && n > 0 ? (double)counts[i, i] / n : double.NaN).ToArray();

    public override string ToString()
    {
        var cells = new string[NumClasses + 1, NumClasses + 1];
        cells[0, 0] = "true \\ predicted";
        for (int i = 0; i < NumClasses; i++)
        {
            cells[0, i + 1] = ClassNames[i];
            cells[i + 1, 0] = ClassNames[i];
            for (int j = 0; j < NumClasses; j++) cells[i + 1, j + 1] = counts[i, j].ToString(CultureInfo.InvariantCulture);
        }
        var widths = Enumerable.Range(0, NumClasses + 1).Select(c => Enumerable.Range(0, NumClasses + 1).Max(r => cells[r, c].Length)).ToArray();
        var sb = new StringBuilder();
        for (int r = 0; r <= NumClasses; r++)
        {
            sb.Append(cells[r, 0].PadRight(widths[0]));
            for (int c = 1; c <= NumClasses; c++) sb.Append("  ").Append(cells[r, c].PadLeft(widths[c]));
            if (r < NumClasses) sb.Append('\n');
        }
        return sb.ToString();
    }
}
