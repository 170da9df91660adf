using System.Diagnostics;
using PSTorch.Tests.PowerShell;

namespace PSTorch.Tests.Host;

/// <summary>Runs the built pstorch as a child process with redirected streams, the way scripts and CI run it.</summary>
public static class PstorchProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}{Environment.NewLine}stderr:{Environment.NewLine}{Stderr}";
    }

    public static Result RunWithInput(string? stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(RepositoryPaths.HostAssembly);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = null;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"pstorch {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }
        return new Result(process.ExitCode, Normalize(stdout.Result), Normalize(stderr.Result));
    }

    public static Result Run(params string[] arguments) => RunWithInput(stdin: null, arguments);

    /// <summary>Writes a script to a fresh temporary file and returns its path.</summary>
    public static string WriteScript(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("pstorch-test-").FullName, "script.ps1");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");
}
