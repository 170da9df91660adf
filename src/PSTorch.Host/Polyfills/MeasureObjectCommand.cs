using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>
/// Measure-Object, only added when the engine lacks it: count, and with -Sum/-Average/-Minimum/-Maximum
/// those statistics of the input or of each -Property. Emits objects with pwsh's property names.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Object")]
public sealed class MeasureObjectCommand : PSCmdlet
{
    private readonly Dictionary<string, Statistics> _byProperty = new(StringComparer.OrdinalIgnoreCase);
    private readonly Statistics _ofInput = new();

    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter(Position = 0)]
    public string[]? Property { get; set; }

    [Parameter]
    public SwitchParameter Sum { get; set; }

    [Parameter]
    public SwitchParameter Average { get; set; }

    [Parameter]
    public SwitchParameter Minimum { get; set; }

    [Parameter]
    public SwitchParameter Maximum { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        if (Property is null)
        {
            _ofInput.Add(InputObject, Numeric);
            return;
        }
        foreach (var name in Property)
        {
            if (InputObject.Properties[name] is not { } property) continue;
            if (!_byProperty.TryGetValue(name, out var statistics)) _byProperty[name] = statistics = new Statistics();
            statistics.Add(property.Value, Numeric);
        }
    }

    protected override void EndProcessing()
    {
        if (Property is null)
        {
            WriteObject(Result(_ofInput, null));
            return;
        }
        foreach (var name in Property)
            WriteObject(Result(_byProperty.GetValueOrDefault(name, new Statistics()), name));
    }

    private bool Numeric => Sum || Average || Minimum || Maximum;

    private PSObject Result(Statistics statistics, string? property)
    {
        var result = new PSObject();
        result.Properties.Add(new PSNoteProperty("Count", statistics.Count));
        result.Properties.Add(new PSNoteProperty("Average", Average && statistics.Count > 0 ? statistics.Sum / statistics.Count : null));
        result.Properties.Add(new PSNoteProperty("Sum", Sum ? statistics.Sum : null));
        result.Properties.Add(new PSNoteProperty("Maximum", Maximum ? statistics.Max : null));
        result.Properties.Add(new PSNoteProperty("Minimum", Minimum ? statistics.Min : null));
        result.Properties.Add(new PSNoteProperty("Property", property));
        return result;
    }

    private sealed class Statistics
    {
        public int Count { get; private set; }
        public double Sum { get; private set; }
        public double? Min { get; private set; }
        public double? Max { get; private set; }

        public void Add(object? value, bool numeric)
        {
            Count++;
            if (!numeric) return;
            var number = LanguagePrimitives.ConvertTo<double>(value);
            Sum += number;
            Min = Min is { } min ? Math.Min(min, number) : number;
            Max = Max is { } max ? Math.Max(max, number) : number;
        }
    }
}
