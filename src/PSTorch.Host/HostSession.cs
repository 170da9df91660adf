using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace PSTorch.Host;

/// <summary>
/// One runspace on the pstorch host, and the way every command is run in it: output through
/// Out-Default (so format views apply), errors merged in so they print where they happen, and a
/// terminating error reported the way pwsh reports it.
/// </summary>
internal sealed class HostSession : IDisposable
{
    /// <summary>Exit code after a terminating error, as pwsh uses.</summary>
    public const int FailureExitCode = 1;

    /// <summary>Exit code after Ctrl+C stopped the command, as a shell reports SIGINT.</summary>
    public const int StoppedExitCode = 130;

    /// <summary>Exit code for a -File that does not exist, as pwsh uses.</summary>
    public const int MissingFileExitCode = 64;

    private readonly PSTorchHost _host;
    private readonly Runspace _runspace;
    private readonly ProgressRenderer _progress;
    private readonly HostConsole _console;
    private readonly OutputCapture _capture;
    private readonly Lock _gate = new();
    private PowerShell? _running;
    private bool _stopping;

    private HostSession(PSTorchHost host, Runspace runspace, ProgressRenderer progress, HostConsole console, OutputCapture capture)
    {
        _capture = capture;
        _host = host;
        _runspace = runspace;
        _progress = progress;
        _console = console;
    }

    public static HostSession Open(HostConsole console, bool nonInteractive)
    {
        var progress = new ProgressRenderer(console.Error, console.LiveProgress, () => ConsoleRawUI.Width, TimeSpan.FromMilliseconds(100));
        var capture = new OutputCapture();
        var host = new PSTorchHost(new HostUserInterface(console, progress, capture, nonInteractive), capture);
        var runspace = RunspaceFactory.CreateRunspace(host, SessionStateFactory.Create());
        runspace.Open();
        return new HostSession(host, runspace, progress, console, capture);
    }

    public bool ShouldExit => _host.ShouldExit;
    public int ExitCode => _host.ExitCode;

    /// <summary>Holds $? after the last statement of a -Command script: pwsh -Command exits 1 when that statement failed.</summary>
    const string LastStatusVariable = "__pstorchLastStatementSucceeded";

    /// <summary>
    /// Runs a command line. As a whole -Command run (<paramref name="interactive"/> false) it also fails when its
    /// last statement failed; typed at the prompt it is recorded in the history as typed.
    /// </summary>
    public int RunCommand(string script, bool interactive = false) =>
        Run(ps => ps.AddScript(interactive ? script : script + $"\n$global:{LastStatusVariable} = $?"), addToHistory: interactive) switch
        {
            RunOutcome.Completed => ShouldExit ? ExitCode : interactive || LastStatementSucceeded() ? 0 : FailureExitCode,
            RunOutcome.Stopped => StoppedExitCode,
            _ => ShouldExit ? ExitCode : FailureExitCode,
        };

    private bool LastStatementSucceeded() =>
        _runspace.SessionStateProxy.GetVariable(LastStatusVariable) is not false;

    public int RunFile(string path, IReadOnlyList<string> arguments)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            WriteError($"The argument '{path}' is not recognized as the name of a script file. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.");
            return MissingFileExitCode;
        }
        return Run(ps => ScriptArguments.Add(ps.AddCommand(fullPath), arguments)) switch
        {
            // 'exit N' inside a script file ends the script and sets $LASTEXITCODE; pwsh -File returns it.
            RunOutcome.Completed => ShouldExit ? ExitCode : LastExitCode(),
            RunOutcome.Stopped => StoppedExitCode,
            _ => FailureExitCode,
        };
    }

    /// <summary>Asks the running command to stop (Ctrl+C).</summary>
    public StopRequest RequestStop()
    {
        lock (_gate)
        {
            if (_running is null) return StopRequest.NothingRunning;
            if (_stopping) return StopRequest.AlreadyStopping;
            _stopping = true;
            _running.BeginStop(null, null);
            return StopRequest.Stopping;
        }
    }

    /// <summary>The prompt function's text, as pwsh shows it, or a plain one when it fails.</summary>
    public string Prompt()
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        try
        {
            var result = ps.AddCommand("prompt").Invoke();
            return result.Count > 0 ? string.Concat(result) : "PS> ";
        }
        catch (RuntimeException)
        {
            return "PS> ";
        }
    }

    public void Dispose() => _runspace.Dispose();

    private RunOutcome Run(Action<PowerShell> addCommands, bool addToHistory = false)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        addCommands(ps);
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");
        lock (_gate) _running = ps;
        try
        {
            ps.Invoke(input: null, new PSInvocationSettings { AddToHistory = addToHistory });
            return ps.InvocationStateInfo.State == PSInvocationState.Stopped ? RunOutcome.Stopped : RunOutcome.Completed;
        }
        catch (PipelineStoppedException)
        {
            return RunOutcome.Stopped;
        }
        catch (Exception exception) when (exception is RuntimeException or InvalidOperationException or IOException)
        {
            ReportException(exception);
            return RunOutcome.Failed;
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
                _stopping = false;
            }
            _progress.Reset();
        }
    }

    /// <summary>
    /// Prints a terminating error as pwsh does: rendered by Out-Default with $ErrorView (message,
    /// and the script position where there is one), sent to standard error.
    /// </summary>
    private void ReportException(Exception exception)
    {
        var record = exception is IContainsErrorRecord { ErrorRecord: { } inner }
            ? inner
            : new ErrorRecord(exception, "pstorch.UnhandledException", ErrorCategory.NotSpecified, targetObject: null);
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddCommand("Out-Default");
        string rendered;
        try
        {
            rendered = _capture.Capture(() => ps.Invoke(new[] { record }));
        }
        catch (RuntimeException)
        {
            rendered = exception.Message;
        }
        WriteError(string.IsNullOrWhiteSpace(rendered) ? exception.Message : rendered.Trim('\n', '\r'));
    }

    private void WriteError(string message)
    {
        _progress.Suspend();
        _console.Error.WriteLine(_console.ColorError ? AnsiColor.Paint(message, ConsoleColor.Red) : message);
        _console.Error.Flush();
    }

    private int LastExitCode() =>
        _runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int code ? code : 0;

    private enum RunOutcome { Completed, Failed, Stopped }
}

internal enum StopRequest { NothingRunning, Stopping, AlreadyStopping }
