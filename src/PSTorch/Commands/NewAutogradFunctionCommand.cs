using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using PSTorch.Autograd;

namespace PSTorch.Commands;

/// <summary>
/// New-AutogradFunction: a custom torch.autograd.Function whose forward and backward are script blocks.
/// Call its Apply method; the output's grad_fn is named &lt;Name&gt;Backward.
/// </summary>
[Cmdlet(VerbsCommon.New, "AutogradFunction")]
[OutputType(typeof(CustomFunction))]
public sealed class NewAutogradFunctionCommand : PSCmdlet
{
    /// <summary>The function's name; its backward node is this name + "Backward".</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = null!;

    /// <summary>param($ctx, $x, ...): computes the output tensor (without recording) and saves what backward needs.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public ScriptBlock Forward { get; set; } = null!;

    /// <summary>param($ctx, $grad): outputs one gradient (or $null) per input of Apply.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    public ScriptBlock Backward { get; set; } = null!;

    protected override void EndProcessing()
    {
        // Captured so the delegates do not read the cmdlet's properties after it has finished.
        string name = Name;
        ScriptBlock forward = Forward, backward = Backward;
        WriteObject(CustomFunction.Create(name,
            (ctx, inputs) => ForwardOutput(name, forward.Invoke([ctx, .. inputs])),
            (ctx, grads) => BackwardOutput(name, backward.Invoke([ctx, .. grads]))));
    }

    /// <summary>A script block's output is a collection: forward must output exactly one tensor.</summary>
    static Tensor ForwardOutput(string name, Collection<PSObject> output)
    {
        var values = Unwrap(output);
        if (values.Count == 1 && values[0] is Tensor t) return t;
        throw new InvalidOperationException(
            $"The -Forward script block of autograd function '{name}' must output one tensor, but it output {Describe(values)}. " +
            "Assign other results to $null (e.g. $null = $list.Add(1)) so they do not become output.");
    }

    /// <summary>Backward outputs one tensor or $null per input; an array output (e.g. ,@($gx, $gy)) counts as its elements.</summary>
    static Tensor?[] BackwardOutput(string name, Collection<PSObject> output)
    {
        var values = Unwrap(output);
        if (values.Count == 1 && values[0] is IEnumerable nested and not Tensor and not string)
            values = Unwrap(nested);
        var grads = new Tensor?[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            grads[i] = values[i] switch
            {
                null => null,
                Tensor t => t,
                var other => throw new InvalidOperationException(
                    $"The -Backward script block of autograd function '{name}' must output one tensor or $null per input, " +
                    $"but output {i} is {other.GetType().FullName}."),
            };
        }
        return grads;
    }

    static List<object?> Unwrap(IEnumerable values)
    {
        var list = new List<object?>();
        foreach (var v in values) list.Add(v is PSObject p ? p.BaseObject : v);
        return list;
    }

    static string Describe(List<object?> values) => values.Count switch
    {
        0 => "nothing",
        1 => values[0]?.GetType().FullName ?? "$null",
        _ => $"{values.Count} objects ({string.Join(", ", values.Select(v => v?.GetType().Name ?? "$null"))})",
    };
}
