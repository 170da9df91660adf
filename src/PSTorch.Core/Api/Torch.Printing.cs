namespace PSTorch;

public static partial class Torch
{
    /// <summary>
    /// torch.set_printoptions. Arguments left null keep their current value, except sciMode, which is always set
    /// (null = automatic), as in PyTorch. profile "default", "short" or "full" sets all values first.
    /// </summary>
    public static void SetPrintOptions(int? precision = null, long? threshold = null, int? edgeItems = null, int? lineWidth = null, bool? sciMode = null, string? profile = null)
    {
        var o = profile?.ToLowerInvariant() switch
        {
            null => TensorFormatter.Options,
            "default" => new PrintOptions(),
            "short" => new PrintOptions(Precision: 2, EdgeItems: 2),
            "full" => new PrintOptions(Threshold: long.MaxValue),
            _ => throw new ArgumentException($"Invalid profile '{profile}': expected 'default', 'short' or 'full'."),
        };
        TensorFormatter.Options = o with
        {
            Precision = precision ?? o.Precision,
            Threshold = threshold ?? o.Threshold,
            EdgeItems = edgeItems ?? o.EdgeItems,
            LineWidth = lineWidth ?? o.LineWidth,
            SciMode = sciMode,
        };
    }

    /// <summary>The current print options.</summary>
    public static PrintOptions GetPrintOptions() => TensorFormatter.Options;
}
