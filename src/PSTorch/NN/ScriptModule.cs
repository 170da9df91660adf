using System.Collections;
using System.Management.Automation;
using PSTorch.Commands;

namespace PSTorch.NN;

/// <summary>
/// A module whose forward is a PowerShell scriptblock, param($self, $x): its sub-modules and parameters are
/// registered under their names (and reachable as $self.name), so it prints, saves and trains like a built-in one.
/// </summary>
public sealed class ScriptModule : Module
{
    public ScriptModule(string name, ScriptBlock forward, IDictionary? modules = null, IDictionary? parameters = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A script module needs a name.");
        Name = name;
        ForwardScript = forward;
        if (modules != null)
            foreach (var (key, value) in OrderedTable.Entries(modules, "modules"))
                RegisterModule(key, Unwrap(value) as Module ?? throw new ArgumentException($"'{key}' is not a module (New-Layer makes one)."));
        if (parameters != null)
            foreach (var (key, value) in OrderedTable.Entries(parameters, "parameters"))
                RegisterParameter(key, Unwrap(value) switch
                {
                    Parameter p => p,
                    Tensor t => new Parameter(t),
                    _ => throw new ArgumentException($"'{key}' is not a tensor."),
                });
        ModuleMembers.Attach(this);
    }

    /// <summary>The name the model prints under, as a class name would.</summary>
    public string Name { get; }

    /// <summary>The forward computation: param($self, $x), returning one tensor.</summary>
    public ScriptBlock ForwardScript { get; }

    protected override string ReprName => Name;

    public override Tensor Forward(Tensor input)
    {
        var output = ForwardScript.Invoke(this, input).Where(o => o != null).Select(o => o.BaseObject).ToList();
        return output is [Tensor result] ? result
            : throw new InvalidOperationException($"The forward of {Name} must return one tensor; it returned {Describe(output)}.");
    }

    static string Describe(List<object> output) => output.Count switch
    {
        0 => "nothing",
        1 => $"a {output[0].GetType().Name}",
        _ => $"{output.Count} objects ({string.Join(", ", output.Select(o => o.GetType().Name))}); assign or [void] the other values",
    };

    static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;
}
