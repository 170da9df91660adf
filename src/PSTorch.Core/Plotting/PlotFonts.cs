using ScottPlot;
using SkiaSharp;

namespace PSTorch.Plotting;

/// <summary>
/// The font plots draw their text with: DejaVu Sans, embedded in PSTorch.Core, so a plot has readable text on a machine
/// with no fonts installed (where Skia alone would draw no glyphs). ScottPlot is told to resolve every family to it.
/// </summary>
public static class PlotFonts
{
    const string ResourceName = "PSTorch.Plotting.DejaVuSans.ttf";
    static readonly object Gate = new();
    static SKTypeface? typeface;

    /// <summary>The embedded DejaVu Sans.</summary>
    public static SKTypeface Typeface
    {
        get
        {
            lock (Gate) return typeface ??= Load();
        }
    }

    public static string FamilyName => Typeface.FamilyName;

    static SKTypeface Load()
    {
        using var stream = typeof(PlotFonts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The plot font resource '{ResourceName}' is missing from PSTorch.Core");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"The plot font resource '{ResourceName}' is not a readable font");
    }

    static bool registered;

    /// <summary>Makes ScottPlot's default, sans, serif and monospace families the embedded font (once per process).</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (registered) return;
            var family = FamilyName;
            Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver(family, Typeface));
            Fonts.Default = family;
            Fonts.Sans = family;
            Fonts.Serif = family;
            Fonts.Monospace = family;
            registered = true;
        }
    }

    /// <summary>Resolves the embedded family (any weight or slant: only the regular face ships) and leaves other names to ScottPlot.</summary>
    sealed class EmbeddedFontResolver(string family, SKTypeface typeface) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => Match(fontName);

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Match(fontName);

        SKTypeface? Match(string fontName) => string.Equals(fontName, family, StringComparison.OrdinalIgnoreCase) ? typeface : null;
    }
}
