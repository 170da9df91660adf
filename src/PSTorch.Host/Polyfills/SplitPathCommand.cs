using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Split-Path, only added when the engine lacks it: the parent (default), leaf, leaf without extension, or extension of a path.</summary>
[Cmdlet(VerbsCommon.Split, "Path", DefaultParameterSetName = ParentSet)]
[OutputType(typeof(string))]
public sealed class SplitPathCommand : PSCmdlet
{
    private const string ParentSet = "ParentSet";
    private const string LeafSet = "LeafSet";
    private const string LeafBaseSet = "LeafBaseSet";
    private const string ExtensionSet = "ExtensionSet";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public string[] Path { get; set; } = [];

    [Parameter(ParameterSetName = ParentSet)]
    public SwitchParameter Parent { get; set; }

    [Parameter(ParameterSetName = LeafSet, Mandatory = true)]
    public SwitchParameter Leaf { get; set; }

    [Parameter(ParameterSetName = LeafBaseSet, Mandatory = true)]
    public SwitchParameter LeafBase { get; set; }

    [Parameter(ParameterSetName = ExtensionSet, Mandatory = true)]
    public SwitchParameter Extension { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            var trimmed = path.Length > 1 ? path.TrimEnd('/', '\\') : path;
            WriteObject(ParameterSetName switch
            {
                LeafSet => System.IO.Path.GetFileName(trimmed),
                LeafBaseSet => System.IO.Path.GetFileNameWithoutExtension(trimmed),
                ExtensionSet => System.IO.Path.GetExtension(trimmed),
                _ => System.IO.Path.GetDirectoryName(trimmed) ?? "",
            });
        }
    }
}
