using System.Collections;
using System.Management.Automation;
using PSTorch.NN;

namespace PSTorch.Commands;

/// <summary>
/// New-Sequential: layers in order, from arguments, the pipeline, a scriptblock that outputs them, or an
/// [ordered] hashtable naming them (torch.nn.Sequential with an OrderedDict).
/// </summary>
[Cmdlet(VerbsCommon.New, "Sequential")]
[OutputType(typeof(Sequential))]
public sealed class NewSequentialCommand : PSCmdlet
{
    /// <summary>Modules, arrays of them, scriptblocks that output them, or [ordered]@{ name = module }.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public object? Layers { get; set; }

    readonly List<(string? Name, Module Module)> layers = [];

    protected override void ProcessRecord()
    {
        try
        {
            Add(null, Layers);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(TorchErrors.Record(e, "InvalidLayer", Layers));
        }
    }

    protected override void EndProcessing()
    {
        var named = layers.Select((l, i) => (l.Name ?? i.ToString(), l.Module));
        var model = new Sequential(named);
        ModuleMembers.Attach(model);
        WriteObject(model);
    }

    void Add(string? name, object? value)
    {
        if (value is PSObject ps) value = ps.BaseObject;
        switch (value)
        {
            case null:
                break;
            case Module m:
                layers.Add((name, m));
                break;
            case ScriptBlock script when name == null:
                foreach (var item in script.Invoke()) Add(null, item);
                break;
            case IDictionary table when name == null:
                foreach (var (key, item) in OrderedTable.Entries(table, "layers")) Add(key, item);
                break;
            case IEnumerable items when name == null && value is not string:
                foreach (var item in items) Add(null, item);
                break;
            default:
                throw new ArgumentException($"{(name == null ? "" : $"'{name}': ")}a {value.GetType().Name} is not a layer; New-Layer makes one.");
        }
    }
}
