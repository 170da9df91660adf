namespace PSTorch.Host;

/// <summary>pstorch's entry point: parses the command line, opens the session, runs what was asked.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var options = CommandLineOptions.Parse(args);
        if (options.ShowHelp)
        {
            Console.Out.WriteLine(CommandLineOptions.Usage);
            return 0;
        }
        if (options.Error is not null)
        {
            Console.Error.WriteLine(options.Error);
            return MissingArgumentExitCode;
        }

        var console = HostConsole.FromProcess();
        HostSession session;
        try
        {
            session = HostSession.Open(console, options.NonInteractive);
        }
        catch (Exception exception)
        {
            // Startup has no runspace to report through; say why in one line rather than a stack trace.
            Console.Error.WriteLine($"pstorch: could not start PowerShell with PSTorch: {exception.Message}");
            return StartupFailureExitCode;
        }
        using var _ = session;
        var interactive = options.File is null && options.Command is null;
        Console.CancelKeyPress += (_, e) => e.Cancel = session.RequestStop() switch
        {
            StopRequest.Stopping => true,
            // A second Ctrl+C while the first is still stopping means the user wants out now.
            StopRequest.AlreadyStopping => false,
            _ => interactive,
        };

        if (options.File is not null) return session.RunFile(options.File, options.ScriptArguments);
        if (options.Command is not null)
            return session.RunCommand(options.Command == "-" ? console.In.ReadToEnd() : options.Command);
        return new Repl(session, console).Run();
    }

    private const int StartupFailureExitCode = 1;

    /// <summary>Exit code for a malformed command line, as pwsh uses.</summary>
    private const int MissingArgumentExitCode = 64;
}
