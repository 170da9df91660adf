namespace PSTorch.Host;

/// <summary>ANSI escape sequences for console colours, used only when the stream is a terminal.</summary>
internal static class AnsiColor
{
    private static readonly int[] Foreground = [30, 34, 32, 36, 31, 35, 33, 37, 90, 94, 92, 96, 91, 95, 93, 97];

    public static bool Enabled(bool redirected) =>
        !redirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public static string Paint(string text, ConsoleColor color) =>
        text.Length == 0 ? text : $"\e[{Foreground[(int)color]}m{text}\e[0m";
}
