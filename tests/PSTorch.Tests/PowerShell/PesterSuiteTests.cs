using System.Diagnostics;

namespace PSTorch.Tests.PowerShell;

/// <summary>
/// Runs the Pester suite (tests/pester) under a real pwsh when one with Pester 5 is on PATH, so
/// `dotnet test` is the one test command. Without it the test is skipped, never passed.
/// </summary>
public sealed class PesterSuiteTests
{
    private static readonly TimeSpan SuiteTimeout = TimeSpan.FromMinutes(15);

    [Fact]
    public void PesterSuitePasses()
    {
        var pwsh = FindOnPath(OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
        if (pwsh is null) Assert.Skip("pwsh is not on PATH; the Pester suite runs where PowerShell 7 with Pester 5 is installed.");
        var pesterMajor = Run(pwsh, "(Get-Module -ListAvailable Pester | Sort-Object Version -Descending | Select-Object -First 1).Version.Major",
            Path.GetTempPath(), TimeSpan.FromMinutes(2));
        if (!int.TryParse(pesterMajor.Output.Trim(), out var major) || major < 5)
            Assert.Skip($"pwsh has no Pester 5 (found: '{pesterMajor.Output.Trim()}'); install it with Install-Module Pester -MinimumVersion 5.0.");

        // -CI writes testResults.xml to the working directory; keep it out of the repository.
        var workDir = Directory.CreateTempSubdirectory("pstorch-pester-").FullName;
        try
        {
            var suite = Path.Combine(RepositoryPaths.Root, "tests", "pester");
            var run = Run(pwsh, $"Invoke-Pester -Path '{suite.Replace("'", "''")}' -CI -Output Detailed", workDir, SuiteTimeout);
            Assert.True(run.ExitCode == 0, $"Invoke-Pester exited with {run.ExitCode}:{Environment.NewLine}{run.Output}");
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    private static string? FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);

    private static (int ExitCode, string Output) Run(string pwsh, string command, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(pwsh)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { "-NoProfile", "-NonInteractive", "-Command", command }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"pwsh did not finish within {timeout}: {command}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
