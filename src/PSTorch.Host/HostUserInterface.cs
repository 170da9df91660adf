using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Internal;
using System.Security;

namespace PSTorch.Host;

/// <summary>
/// Where PowerShell's host output goes: formatted output and Write-Host to standard output;
/// errors, warnings, verbose, debug and progress to standard error, so redirected output holds
/// only results. Prompts read standard input unless pstorch runs non-interactively.
/// </summary>
internal sealed class HostUserInterface : PSHostUserInterface
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly TextReader _in;
    private readonly bool _colorOut;
    private readonly bool _colorErr;
    private readonly bool _nonInteractive;
    private readonly ProgressRenderer _progress;
    private readonly OutputCapture _capture;

    public HostUserInterface(HostConsole console, ProgressRenderer progress, OutputCapture capture, bool nonInteractive)
    {
        _out = console.Out;
        _err = console.Error;
        _in = console.In;
        _colorOut = console.ColorOut;
        _colorErr = console.ColorError;
        _progress = progress;
        _capture = capture;
        _nonInteractive = nonInteractive;
    }

    public override PSHostRawUserInterface RawUI { get; } = new ConsoleRawUI();

    public override bool SupportsVirtualTerminal => _colorOut;

    public override void Write(string value) => WriteOut(value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
        WriteOut(_colorOut ? AnsiColor.Paint(value, foregroundColor) : value);

    public override void WriteLine(string value) => WriteOut(value + Environment.NewLine);

    public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
        Write(foregroundColor, backgroundColor, value + Environment.NewLine);

    public override void WriteErrorLine(string value) => WriteErr(value, ConsoleColor.Red);

    public override void WriteWarningLine(string message) => WriteErr("WARNING: " + message, ConsoleColor.Yellow);

    public override void WriteVerboseLine(string message) => WriteErr("VERBOSE: " + message, ConsoleColor.Cyan);

    public override void WriteDebugLine(string message) => WriteErr("DEBUG: " + message, ConsoleColor.Magenta);

    public override void WriteProgress(long sourceId, ProgressRecord record) => _progress.Update(sourceId, record);

    public override string ReadLine()
    {
        EnsureInteractive();
        _progress.Suspend();
        return _in.ReadLine() ?? throw new PromptingException("Standard input ended while reading a line.");
    }

    public override SecureString ReadLineAsSecureString()
    {
        var secure = new SecureString();
        foreach (var c in ReadLine()) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        EnsureInteractive();
        WriteCaption(caption, message);
        var answers = new Dictionary<string, PSObject>();
        foreach (var field in descriptions)
        {
            Write(field.Name + ": ");
            answers[field.Name] = PSObject.AsPSObject(ReadLine());
        }
        return answers;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        EnsureInteractive();
        WriteCaption(caption, message);
        var labels = choices.Select(c => c.Label.Replace("&", "")).ToArray();
        var hotkeys = choices.Select(c => HotKey(c.Label)).ToArray();
        while (true)
        {
            var menu = string.Join("  ", labels.Select((label, i) => $"[{hotkeys[i]}] {label}"));
            var suffix = defaultChoice >= 0 ? $" (default is \"{hotkeys[defaultChoice]}\")" : "";
            Write(menu + suffix + ": ");
            var answer = ReadLine().Trim();
            if (answer.Length == 0 && defaultChoice >= 0) return defaultChoice;
            for (var i = 0; i < choices.Count; i++)
            {
                if (string.Equals(answer, hotkeys[i], StringComparison.OrdinalIgnoreCase)
                    || string.Equals(answer, labels[i], StringComparison.OrdinalIgnoreCase))
                    return i;
            }
        }
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new NotSupportedException("pstorch does not prompt for credentials; pass a PSCredential instead.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        PromptForCredential(caption, message, userName, targetName);

    private void WriteOut(string text)
    {
        if (_capture.TryWrite(Rendered(text, terminal: false))) return;
        _progress.Suspend();
        _out.Write(Rendered(text, _colorOut));
        _out.Flush();
    }

    private void WriteErr(string line, ConsoleColor color)
    {
        _progress.Suspend();
        line = Rendered(line, _colorErr);
        _err.WriteLine(_colorErr ? AnsiColor.Paint(line, color) : line);
        _err.Flush();
    }

    /// <summary>
    /// Formatted output carries $PSStyle's escape sequences; as in pwsh, the host keeps them only
    /// on a terminal unless $PSStyle.OutputRendering says otherwise.
    /// </summary>
    private static string Rendered(string text, bool terminal)
    {
        var decorated = new StringDecorated(text);
        if (!decorated.IsDecorated) return text;
        var keepEscapes = PSStyle.Instance.OutputRendering switch
        {
            OutputRendering.Ansi => true,
            OutputRendering.PlainText => false,
            _ => terminal,
        };
        return keepEscapes ? text : decorated.ToString(OutputRendering.PlainText);
    }

    private void WriteCaption(string caption, string message)
    {
        if (!string.IsNullOrEmpty(caption)) WriteLine(caption);
        if (!string.IsNullOrEmpty(message)) WriteLine(message);
    }

    private void EnsureInteractive()
    {
        if (_nonInteractive)
            throw new PSInvalidOperationException("pstorch is in NonInteractive mode. Read and Prompt functionality is not available.");
    }

    private static string HotKey(string label)
    {
        var amp = label.IndexOf('&');
        return amp >= 0 && amp + 1 < label.Length
            ? label[amp + 1].ToString().ToUpper(CultureInfo.InvariantCulture)
            : label[..1].ToUpper(CultureInfo.InvariantCulture);
    }
}
