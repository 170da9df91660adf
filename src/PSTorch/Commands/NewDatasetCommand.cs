using System.Management.Automation;
using PSTorch.Data;
using PSTorch.Vision;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Defines a dataset in PowerShell: from a script block of the index, or from pipeline objects with labels.</para>
/// <example><code>New-Dataset -Count 100 -GetItem { param($i) @((New-Tensor ($i * 1.0)), ($i % 2)) }</code></example>
/// <example><code>Get-ChildItem -Recurse *.png | New-Dataset -Label { $_.Directory.Name } -Transform (New-Transform -ToTensor)</code></example>
/// </summary>
[Cmdlet(VerbsCommon.New, "Dataset", DefaultParameterSetName = "Items")]
[OutputType(typeof(Dataset))]
public sealed class NewDatasetCommand : PSCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Script")] public int Count { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = "Script")] public ScriptBlock GetItem { get; set; } = null!;

    /// <summary>Files (paths or FileInfo: loaded as images) or ready inputs (tensors, numbers).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Items")] public object InputObject { get; set; } = null!;

    /// <summary>Name of the property holding each item's label (e.g. a CSV column).</summary>
    [Parameter(ParameterSetName = "Items")] public string? LabelProperty { get; set; }

    /// <summary>A script block computing the label from the item ($_).</summary>
    [Parameter(ParameterSetName = "Items")] public ScriptBlock? Label { get; set; }

    /// <summary>For items: the property holding the input (default: the item itself).</summary>
    [Parameter(ParameterSetName = "Items")] public string? InputProperty { get; set; }

    [Parameter(ParameterSetName = "Items")] public Transform? Transform { get; set; }

    readonly List<object> items = [];
    readonly List<object> labels = [];

    protected override void ProcessRecord()
    {
        if (ParameterSetName != "Items") return;
        var item = InputObject is PSObject ps ? ps : PSObject.AsPSObject(InputObject);
        object label = Label is not null ? DataScripts.Unwrap(Label.InvokeWithContext(null, [new PSVariable("_", item)]).LastOrDefault())!
            : LabelProperty is not null ? DataScripts.Unwrap(item.Properties[LabelProperty]?.Value) ?? throw new ArgumentException($"the item has no property '{LabelProperty}'")
            : throw new ArgumentException("give -Label or -LabelProperty to label pipeline items");
        var input = InputProperty is null ? DataScripts.Unwrap(item)! : DataScripts.Unwrap(item.Properties[InputProperty]?.Value)!;
        items.Add(input is FileInfo file ? file.FullName : input);
        labels.Add(label);
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == "Script")
        {
            var script = GetItem;
            WriteObject(new DelegateDataset(Count, i => DataScripts.Invoke(script, i), workerThreadSafe: false));
            return;
        }
        WriteObject(new ItemDataset(items, labels, Transform));
    }
}
