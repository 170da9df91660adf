using System.Globalization;

namespace PSTorch.Data;

/// <summary>
/// A table from a CSV file: feature columns become a float32 vector, the label column an int64 label. Labels that are
/// not integers are class names, numbered in sorted order (<see cref="Classes"/>).
/// </summary>
public sealed class CsvDataset : Dataset, IBatchedDataset
{
    readonly TensorDataset table;
    readonly string[]? classNames;

    /// <summary>
    /// Reads <paramref name="path"/>. <paramref name="labelColumn"/>: header name or 0-based position (null: the last
    /// column). <paramref name="hasHeader"/>: null detects a header (a first line with a non-numeric field).
    /// </summary>
    public CsvDataset(string path, string? labelColumn = null, bool? hasHeader = null, char delimiter = ',')
    {
        var lines = File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => l.Split(delimiter).Select(f => f.Trim().Trim('"')).ToArray()).ToList();
        if (lines.Count == 0) throw new InvalidDataException($"'{path}' holds no rows");
        int width = lines[0].Length;
        bool header = hasHeader ?? lines[0].Any(f => !double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var columns = header ? lines[0] : Enumerable.Range(0, width).Select(i => $"column{i}").ToArray();
        Columns = columns;
        int labelIndex = labelColumn is null ? width - 1
            : Array.IndexOf(columns, labelColumn) is >= 0 and var named ? named
            : int.TryParse(labelColumn, out var position) && position >= 0 && position < width ? position
            : throw new ArgumentException($"'{path}' has no column '{labelColumn}'; columns: {string.Join(", ", columns)}");
        LabelColumn = columns[labelIndex];
        var rows = header ? lines.Skip(1).ToList() : lines;
        var features = new float[rows.Count * (width - 1)];
        var rawLabels = new string[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            int lineNumber = r + (header ? 2 : 1);
            if (row.Length != width) throw new InvalidDataException($"'{path}' line {lineNumber}: expected {width} fields, found {row.Length}");
            int f = 0;
            for (int c = 0; c < width; c++)
            {
                if (c == labelIndex) { rawLabels[r] = row[c]; continue; }
                if (!float.TryParse(row[c], NumberStyles.Float, CultureInfo.InvariantCulture, out features[r * (width - 1) + f++]))
                    throw new InvalidDataException($"'{path}' line {lineNumber}: column '{columns[c]}' value '{row[c]}' is not a number");
            }
        }
        long[] labels;
        if (rawLabels.All(l => long.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            labels = rawLabels.Select(l => long.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        else
        {
            classNames = rawLabels.Distinct().Order(StringComparer.Ordinal).ToArray();
            labels = rawLabels.Select(l => (long)Array.IndexOf(classNames, l)).ToArray();
        }
        Path = path;
        table = new TensorDataset(Torch.FromArray(features, [rows.Count, width - 1]), Torch.FromArray(labels));
    }

    public string Path { get; }
    public IReadOnlyList<string> Columns { get; }
    public string LabelColumn { get; }
    public override IReadOnlyList<string>? Classes => classNames;

    /// <summary>All features, float32 [rows, features].</summary>
    public Tensor Features => table.Tensors[0];
    public Tensor Targets => table.Tensors[1];

    public override int Count => table.Count;
    public override object GetItem(int index) => table.GetItem(index);
    public override string? SourceOf(int index) => $"{Path} row {CheckIndex(index) + 1}";
    public bool CanGetBatch => true;
    public object GetBatch(IReadOnlyList<int> indices) => table.GetBatch(indices);
    public override string Describe() => $"CsvDataset({Count} rows, {Features.Size(1)} features, label '{LabelColumn}')";
}
