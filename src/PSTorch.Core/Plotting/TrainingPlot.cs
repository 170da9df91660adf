using ScottPlot;
using SkiaSharp;

namespace PSTorch.Plotting;

/// <summary>
/// Loss and accuracy curves of a training run (one record per epoch, as Invoke-Training emits them): a loss panel
/// (TrainLoss, ValidationLoss) above an accuracy panel (TrainAccuracy, ValidationAccuracy), against Epoch, drawn with
/// ScottPlot in the embedded font. A curve whose property no record has is not drawn; a panel with no curve is left out.
/// </summary>
public sealed class TrainingPlot
{
    /// <summary>The property each curve is read from, its legend text, and its panel.</summary>
    public sealed record Curve(string Property, string Legend, string Panel);

    public static IReadOnlyList<Curve> Curves { get; } =
    [
        new("TrainLoss", "train", "Loss"),
        new("ValidationLoss", "validation", "Loss"),
        new("TrainAccuracy", "train", "Accuracy"),
        new("ValidationAccuracy", "validation", "Accuracy"),
    ];

    /// <summary>The x value of a record; records without it are numbered 1, 2, 3, ... in order.</summary>
    public const string EpochProperty = "Epoch";

    const int MaxSide = 10_000;

    readonly List<(Curve Curve, double[] Epochs, double[] Values)> drawn = [];

    /// <param name="records">Per epoch, property name (case-insensitive) to value; non-numeric values are left out by the caller.</param>
    public TrainingPlot(IEnumerable<IReadOnlyDictionary<string, double>> records)
    {
        var list = records.Select(r => new Dictionary<string, double>(r, StringComparer.OrdinalIgnoreCase)).ToList();
        var epochs = list.Select((r, i) => r.TryGetValue(EpochProperty, out var e) && double.IsFinite(e) ? e : i + 1).ToArray();
        foreach (var curve in Curves)
        {
            var points = list.Select((r, i) => (Epoch: epochs[i], Found: r.TryGetValue(curve.Property, out var v), Value: v))
                .Where(p => p.Found && double.IsFinite(p.Value)).ToArray();
            if (points.Length > 0) drawn.Add((curve, points.Select(p => p.Epoch).ToArray(), points.Select(p => p.Value).ToArray()));
        }
        if (drawn.Count == 0)
            throw new ArgumentException(
                $"Nothing to plot: no record has a numeric {string.Join(", ", Curves.Select(c => c.Property))} property.");
        RecordCount = list.Count;
    }

    /// <summary>Drawn above the top panel; "Training" when not set.</summary>
    public string? Title { get; init; }

    public int RecordCount { get; }

    /// <summary>The properties that have a curve in the plot, in drawing order.</summary>
    public IReadOnlyList<string> DrawnProperties => drawn.Select(d => d.Curve.Property).ToArray();

    /// <summary>The panels in the plot, top to bottom: "Loss" and/or "Accuracy".</summary>
    public IReadOnlyList<string> Panels => drawn.Select(d => d.Curve.Panel).Distinct().ToArray();

    /// <summary>The plot as a PNG of <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    public byte[] RenderPng(int width, int height)
    {
        if (width is <= 0 or > MaxSide || height is <= 0 or > MaxSide)
            throw new ArgumentException($"The plot size must be between 1 and {MaxSide} pixels a side, got {width} x {height}");
        PlotFonts.Register();
        var multiplot = new Multiplot();
        var panels = Panels;
        while (multiplot.Subplots.Count > 0) multiplot.Subplots.RemoveAt(0); // a new Multiplot starts with one empty plot
        for (int i = 0; i < panels.Count; i++) multiplot.Subplots.Add(DrawPanel(panels[i], i == 0 ? Title ?? "Training" : null));
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Cannot create a {width} x {height} drawing surface");
        surface.Canvas.Clear(SKColors.White);
        multiplot.Render(surface.Canvas, new PixelRect(0, width, height, 0));
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Writes the PNG to <paramref name="path"/> through a temporary file, so a failed render leaves any old file whole.</summary>
    public void SavePng(string path, int width, int height)
    {
        var bytes = RenderPng(width, height);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    Plot DrawPanel(string panel, string? title)
    {
        var plot = new Plot();
        foreach (var (curve, epochs, values) in drawn.Where(d => d.Curve.Panel == panel))
        {
            var scatter = plot.Add.Scatter(epochs, values);
            scatter.LegendText = curve.Legend;
            scatter.LineWidth = 2;
        }
        if (title is not null) plot.Title(title);
        plot.XLabel("Epoch");
        plot.YLabel(panel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(panel == "Loss" ? Alignment.UpperRight : Alignment.LowerRight);
        return plot;
    }
}
