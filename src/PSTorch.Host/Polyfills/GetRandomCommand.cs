using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>
/// Get-Random, only added when the engine lacks it: a number in [Minimum, Maximum) (integers unless
/// either bound is fractional), or -Count items picked from the input without repeats. -SetSeed
/// makes the sequence repeatable for the rest of the session.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Random", DefaultParameterSetName = RangeSet)]
public sealed class GetRandomCommand : PSCmdlet
{
    private const string RangeSet = "RandomNumberParameterSet";
    private const string ListSet = "RandomListItemParameterSet";

    private static readonly Lock Gate = new();
    private static Random _generator = new();
    private readonly List<object> _items = [];

    [Parameter(ParameterSetName = RangeSet, Position = 0)]
    public object? Maximum { get; set; }

    [Parameter(ParameterSetName = RangeSet)]
    public object? Minimum { get; set; }

    [Parameter(ParameterSetName = ListSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public object[] InputObject { get; set; } = [];

    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; } = 1;

    [Parameter]
    public int? SetSeed { get; set; }

    protected override void BeginProcessing()
    {
        if (SetSeed is { } seed)
        {
            lock (Gate) _generator = new Random(seed);
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ListSet) _items.AddRange(InputObject);
    }

    protected override void EndProcessing()
    {
        lock (Gate)
        {
            if (ParameterSetName == ListSet)
            {
                foreach (var item in _items.OrderBy(_ => _generator.Next()).Take(Count)) WriteObject(item);
                return;
            }
            WriteObject(IsFractional(Minimum) || IsFractional(Maximum) ? NextDouble() : NextInteger());
        }
    }

    private double NextDouble()
    {
        var min = Minimum is null ? 0.0 : LanguagePrimitives.ConvertTo<double>(Minimum);
        var max = Maximum is null ? double.MaxValue : LanguagePrimitives.ConvertTo<double>(Maximum);
        EnsureOrdered(min < max);
        return min + _generator.NextDouble() * (max - min);
    }

    /// <summary>An Int32 when both bounds fit one, as pwsh returns.</summary>
    private object NextInteger()
    {
        var min = Minimum is null ? 0L : LanguagePrimitives.ConvertTo<long>(Minimum);
        var max = Maximum is null ? int.MaxValue : LanguagePrimitives.ConvertTo<long>(Maximum);
        EnsureOrdered(min < max);
        var value = _generator.NextInt64(min, max);
        return min >= int.MinValue && max <= int.MaxValue ? (int)value : value;
    }

    private void EnsureOrdered(bool ordered)
    {
        if (!ordered)
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException("The Minimum value must be less than the Maximum value."),
                "MinGreaterThanOrEqualMax", ErrorCategory.InvalidArgument, null));
    }

    private static bool IsFractional(object? bound) =>
        (bound is PSObject wrapped ? wrapped.BaseObject : bound) is double or float or decimal;
}
