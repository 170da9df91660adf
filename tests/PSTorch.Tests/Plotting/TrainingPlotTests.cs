using PSTorch.Plotting;
using SkiaSharp;
using Xunit;

namespace PSTorch.Tests.Plotting;

public class TrainingPlotTests
{
    static Dictionary<string, double> Record(params (string Name, double Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    static readonly IReadOnlyDictionary<string, double>[] FullRun =
    [
        Record(("Epoch", 1), ("TrainLoss", 0.9), ("ValidationLoss", 1.0), ("TrainAccuracy", 0.6), ("ValidationAccuracy", 0.55), ("Seconds", 3)),
        Record(("Epoch", 2), ("TrainLoss", 0.6), ("ValidationLoss", 0.7), ("TrainAccuracy", 0.75), ("ValidationAccuracy", 0.7), ("Seconds", 3)),
        Record(("Epoch", 3), ("TrainLoss", 0.4), ("ValidationLoss", 0.65), ("TrainAccuracy", 0.85), ("ValidationAccuracy", 0.78), ("Seconds", 3)),
    ];

    static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new InvalidDataException("not a PNG");

    /// <summary>Pixels darker than mid-gray in a band of rows across the middle half of the width.</summary>
    static int DarkPixels(SKBitmap bitmap, int top, int bottom)
    {
        int dark = 0;
        for (int y = top; y < bottom; y++)
            for (int x = bitmap.Width / 4; x < bitmap.Width * 3 / 4; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 3 * 128) dark++;
            }
        return dark;
    }

    [Fact]
    public void RendersAPngOfTheAskedSize()
    {
        var plot = new TrainingPlot(FullRun);
        using var bitmap = Decode(plot.RenderPng(640, 480));
        Assert.Equal((640, 480), (bitmap.Width, bitmap.Height));
        Assert.Equal(["Loss", "Accuracy"], plot.Panels);
        Assert.Equal(["TrainLoss", "ValidationLoss", "TrainAccuracy", "ValidationAccuracy"], plot.DrawnProperties);
        Assert.Equal(3, plot.RecordCount);
    }

    [Fact]
    public void TheTitleIsDrawnAsText()
    {
        using var titled = Decode(new TrainingPlot(FullRun) { Title = "Fashion-MNIST MLP" }.RenderPng(800, 600));
        using var other = Decode(new TrainingPlot(FullRun) { Title = "W" }.RenderPng(800, 600));
        // the title sits in the top band, above the loss panel's data area
        int longTitle = DarkPixels(titled, 0, 30), shortTitle = DarkPixels(other, 0, 30);
        Assert.True(longTitle > 100, $"{longTitle} dark pixels in the title band");
        Assert.True(longTitle > 2 * shortTitle, $"a longer title should darken more pixels: {longTitle} vs {shortTitle}");
    }

    [Fact]
    public void ScottPlotResolvesItsFontsToTheEmbeddedDejaVuSans()
    {
        new TrainingPlot(FullRun).RenderPng(100, 100);
        Assert.Equal("DejaVu Sans", PlotFonts.FamilyName);
        Assert.True(PlotFonts.Typeface.GlyphCount > 1000, $"{PlotFonts.Typeface.GlyphCount} glyphs");
        Assert.Equal(PlotFonts.FamilyName, ScottPlot.Fonts.Default);
        // the same object, not a system font of the same name
        Assert.Same(PlotFonts.Typeface, ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, bold: false, italic: false));
        Assert.Same(PlotFonts.Typeface, ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Sans, bold: true, italic: false));
    }

    [Fact]
    public void MissingPropertiesAreNotDrawn()
    {
        // no Epoch either: records are numbered 1, 2, ...
        var plot = new TrainingPlot([Record(("TrainLoss", 1.0)), Record(("TrainLoss", 0.5), ("ValidationLoss", double.NaN))]);
        Assert.Equal(["Loss"], plot.Panels);
        Assert.Equal(["TrainLoss"], plot.DrawnProperties);
        using var bitmap = Decode(plot.RenderPng(300, 200));
        Assert.Equal((300, 200), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void PropertyNamesAreCaseInsensitive() =>
        Assert.Equal(["ValidationAccuracy"], new TrainingPlot([Record(("validationaccuracy", 0.5))]).DrawnProperties);

    [Fact]
    public void RecordsWithNothingToPlotAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainingPlot([Record(("Epoch", 1), ("Seconds", 2))]));
        Assert.Contains("TrainLoss, ValidationLoss, TrainAccuracy, ValidationAccuracy", e.Message);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(100, -1)]
    [InlineData(20000, 100)]
    public void BadSizesAreRefused(int width, int height) =>
        Assert.Throws<ArgumentException>(() => new TrainingPlot(FullRun).RenderPng(width, height));

    [Fact]
    public void SavePng_WritesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pstorch-plot-{Guid.NewGuid():N}.png");
        try
        {
            new TrainingPlot(FullRun).SavePng(path, 320, 240);
            using var bitmap = Decode(File.ReadAllBytes(path));
            Assert.Equal((320, 240), (bitmap.Width, bitmap.Height));
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
