using PSTorch.Host;

namespace PSTorch.Tests.Host;

/// <summary>
/// Runs a command on pstorch's own host classes inside the test process, with the standard streams
/// replaced by strings. Much faster than a child process; PstorchProcess covers the real entry point.
/// </summary>
public static class InProcessHost
{
    public static PstorchProcess.Result RunCommand(string command) => Run(session => session.RunCommand(command));

    public static PstorchProcess.Result RunFile(string path, params string[] arguments) => Run(session => session.RunFile(path, arguments));

    private static PstorchProcess.Result Run(Func<HostSession, int> action)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var console = new HostConsole(new StringReader(""), stdout, stderr, ColorOut: false, ColorError: false, LiveProgress: false, InteractiveInput: false);
        using var session = HostSession.Open(console, nonInteractive: true);
        var exitCode = action(session);
        return new PstorchProcess.Result(exitCode, stdout.ToString().Replace("\r\n", "\n"), stderr.ToString().Replace("\r\n", "\n"));
    }
}
