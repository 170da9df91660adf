using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Test-Path, only added when the engine lacks it: whether a file-system path exists (of a given kind).</summary>
[Cmdlet(VerbsDiagnostic.Test, "Path")]
[OutputType(typeof(bool))]
public sealed class TestPathCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    [AllowNull]
    public string?[] Path { get; set; } = [];

    [Parameter]
    [Alias("Type")]
    public PathKind PathType { get; set; } = PathKind.Any;

    protected override void ProcessRecord()
    {
        foreach (var path in Path) WriteObject(!string.IsNullOrWhiteSpace(path) && Exists(Resolve(path)));
    }

    private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    private bool Exists(string fullPath) => PathType switch
    {
        PathKind.Leaf => File.Exists(fullPath),
        PathKind.Container => Directory.Exists(fullPath),
        _ => File.Exists(fullPath) || Directory.Exists(fullPath),
    };

    /// <summary>The kinds pwsh's -PathType names.</summary>
    public enum PathKind { Any, Container, Leaf }
}
