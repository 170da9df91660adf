using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Join-Path, only added when the engine lacks it: joins path parts with the platform's separator.</summary>
[Cmdlet(VerbsCommon.Join, "Path")]
[OutputType(typeof(string))]
public sealed class JoinPathCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("PSPath")]
    public string[] Path { get; set; } = [];

    [Parameter(Position = 1)]
    [AllowNull]
    [AllowEmptyString]
    public string? ChildPath { get; set; }

    [Parameter(Position = 2, ValueFromRemainingArguments = true)]
    public string[] AdditionalChildPath { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var parent in Path)
        {
            var joined = System.IO.Path.Join([parent, ChildPath ?? "", .. AdditionalChildPath]);
            WriteObject(joined.Replace(System.IO.Path.AltDirectorySeparatorChar, System.IO.Path.DirectorySeparatorChar));
        }
    }
}
