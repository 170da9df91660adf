namespace PSTorch.Host;

/// <summary>The three standard streams pstorch talks through, and whether each is a terminal.</summary>
internal sealed record HostConsole(TextReader In, TextWriter Out, TextWriter Error, bool ColorOut, bool ColorError, bool LiveProgress, bool InteractiveInput)
{
    public static HostConsole FromProcess() => new(
        Console.In,
        Console.Out,
        Console.Error,
        ColorOut: AnsiColor.Enabled(Console.IsOutputRedirected),
        ColorError: AnsiColor.Enabled(Console.IsErrorRedirected),
        LiveProgress: !Console.IsErrorRedirected,
        InteractiveInput: !Console.IsInputRedirected);
}
