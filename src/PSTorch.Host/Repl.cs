using System.Management.Automation.Language;

namespace PSTorch.Host;

/// <summary>
/// The interactive prompt: reads a line, keeps reading ('>> ') while the parser says the input is
/// incomplete (an open brace, string or pipe), runs it, and repeats until 'exit' or end of input.
/// Prompts are shown only when standard input is a terminal, so piped input reads like a script.
/// </summary>
internal sealed class Repl
{
    private const string ContinuationPrompt = ">> ";

    private readonly HostSession _session;
    private readonly HostConsole _console;

    public Repl(HostSession session, HostConsole console)
    {
        _session = session;
        _console = console;
    }

    public int Run()
    {
        var exitCode = 0;
        while (!_session.ShouldExit)
        {
            var input = ReadStatement();
            if (input is null) break;
            if (string.IsNullOrWhiteSpace(input)) continue;
            exitCode = _session.RunCommand(input, interactive: true);
        }
        return _session.ShouldExit ? _session.ExitCode : exitCode;
    }

    /// <summary>One complete statement, possibly several lines; null at end of input.</summary>
    private string? ReadStatement()
    {
        ShowPrompt(_session.Prompt());
        var line = _console.In.ReadLine();
        if (line is null) return null;
        var text = line;
        while (IsIncomplete(text))
        {
            ShowPrompt(ContinuationPrompt);
            line = _console.In.ReadLine();
            if (line is null) return text;
            text += "\n" + line;
        }
        return text;
    }

    internal static bool IsIncomplete(string text)
    {
        Parser.ParseInput(text, out _, out var errors);
        return errors.Any(e => e.IncompleteInput);
    }

    private void ShowPrompt(string prompt)
    {
        if (!_console.InteractiveInput) return;
        _console.Out.Write(prompt);
        _console.Out.Flush();
    }
}
