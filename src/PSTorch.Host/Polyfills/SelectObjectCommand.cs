using System.Collections;
using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>
/// Select-Object, only added when the engine lacks it: -Property (names, wildcards, or
/// @{Name=...; Expression=...}), -ExpandProperty, -First, -Last, -Skip. Unlike pwsh's, -First
/// does not stop the commands upstream early, and -Property is ignored with -ExpandProperty.
/// </summary>
[Cmdlet(VerbsCommon.Select, "Object")]
public sealed class SelectObjectCommand : PSCmdlet
{
    private readonly Queue<PSObject> _last = new();
    private int _seen;
    private int _emitted;

    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter(Position = 0)]
    public object[]? Property { get; set; }

    [Parameter]
    public string? ExpandProperty { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? First { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Last { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Skip { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is null || _seen++ < Skip) return;
        if (First is { } first)
        {
            if (_emitted < first)
            {
                _emitted++;
                Emit(InputObject);
            }
            return;
        }
        if (Last is { } last)
        {
            _last.Enqueue(InputObject);
            if (_last.Count > last) _last.Dequeue();
            return;
        }
        Emit(InputObject);
    }

    protected override void EndProcessing()
    {
        foreach (var item in _last) Emit(item);
    }

    private void Emit(PSObject item)
    {
        if (ExpandProperty is not null)
        {
            if (item.Properties[ExpandProperty] is { } property)
            {
                WriteObject(property.Value, enumerateCollection: true);
                return;
            }
            WriteError(new ErrorRecord(
                new PSArgumentException($"Property \"{ExpandProperty}\" cannot be found."),
                "ExpandPropertyNotFound", ErrorCategory.InvalidArgument, item));
            return;
        }
        if (Property is null)
        {
            WriteObject(item);
            return;
        }
        var selected = new PSObject();
        foreach (var spec in Property) AddProperty(selected, item, spec is PSObject wrapped ? wrapped.BaseObject : spec);
        WriteObject(selected);
    }

    private static void AddProperty(PSObject target, PSObject source, object spec)
    {
        if (spec is IDictionary calculated)
        {
            var name = Lookup(calculated, "Name", "N", "Label", "L")?.ToString()
                ?? throw new PSArgumentException("A calculated property needs a Name (or Label) key.");
            target.Properties.Add(new PSNoteProperty(name, Evaluate(source, Lookup(calculated, "Expression", "E"))));
            return;
        }
        var pattern = WildcardPattern.Get(spec.ToString() ?? "", WildcardOptions.IgnoreCase);
        var matched = false;
        foreach (var property in source.Properties.Where(p => pattern.IsMatch(p.Name)))
        {
            matched = true;
            if (target.Properties[property.Name] is null) target.Properties.Add(new PSNoteProperty(property.Name, property.Value));
        }
        if (!matched && !WildcardPattern.ContainsWildcardCharacters(spec.ToString()))
            target.Properties.Add(new PSNoteProperty(spec.ToString()!, null));
    }

    private static object? Evaluate(PSObject source, object? expression) => expression switch
    {
        ScriptBlock script => Unwrap(script.InvokeWithContext(null, [new PSVariable("_", source)])),
        null => null,
        _ => source.Properties[expression.ToString()!]?.Value,
    };

    private static object? Unwrap(IList<PSObject> results) => results.Count switch
    {
        0 => null,
        1 => results[0],
        _ => results.ToArray(),
    };

    private static object? Lookup(IDictionary table, params string[] keys)
    {
        foreach (DictionaryEntry entry in table)
        {
            if (keys.Any(k => string.Equals(k, entry.Key.ToString(), StringComparison.OrdinalIgnoreCase)))
                return entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
        }
        return null;
    }
}
