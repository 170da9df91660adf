using System.Diagnostics;
using System.Text.Json;

namespace PSTorch.Bench;

/// <summary>
/// Runs one case of the peer (libtorch through TorchSharp-cpu, in ../shared/bench/peer-torchsharp) in a fresh process
/// and reads back its results. It uses the peer's per-case mode (<c>--child</c>: exactly the named case, no second
/// process, results and errors as JSON) because its normal filter also runs every case the name is a prefix of.
/// </summary>
public sealed class PeerRunner(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);
    string Dll => Path.Combine(Directory, "bin", "Release", "net10.0", "PeerTorchSharp.dll");

    /// <summary>Builds the peer once if its Release build is missing (restores TorchSharp-cpu from the NuGet feed).</summary>
    public void EnsureBuilt()
    {
        if (File.Exists(Dll)) return;
        if (!File.Exists(Path.Combine(Directory, "PeerTorchSharp.csproj")))
            throw new FileNotFoundException($"the peer is not at {Directory} (use --peer DIR or --no-peer)");
        Console.WriteLine($"building the peer: dotnet build -c Release in {Directory}");
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", "-c", "Release", "--nologo", "-v", "q"])
            { WorkingDirectory = Directory, UseShellExecute = false })!;
        build.WaitForExit();
        if (build.ExitCode != 0 || !File.Exists(Dll)) throw new InvalidOperationException($"building the peer failed (exit {build.ExitCode})");
    }

    /// <summary>The peer's results for <paramref name="caseName"/>, or null with <paramref name="error"/> set.</summary>
    public List<Result>? Run(string caseName, IEnumerable<string> options, out string? error)
    {
        var output = Path.Combine(Path.GetTempPath(), $"pstorch-bench-peer-{Environment.ProcessId}-{caseName}.json");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Dll, "--child", "--out", output, caseName }.Concat(options)) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (!File.Exists(output))
            {
                error = $"peer exited {p.ExitCode} without results: {Tail(stderr.Result + stdout)}";
                return null;
            }
            var doc = JsonSerializer.Deserialize<PeerDocument>(File.ReadAllText(output), Json.Options)!;
            error = doc.Errors.Count > 0 ? string.Join("; ", doc.Errors.Select(kv => $"{kv.Key}: {kv.Value}")) : null;
            return doc.Results;
        }
        finally
        {
            File.Delete(output);
        }
    }

    static string Tail(string text) => text.Length <= 400 ? text.Trim() : "..." + text[^400..].Trim();

    sealed class PeerDocument
    {
        public List<Result> Results { get; set; } = new();
        public Dictionary<string, string> Errors { get; set; } = new();
    }
}
