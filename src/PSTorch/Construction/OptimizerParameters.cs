using System.Collections;
using System.Management.Automation;
using PSTorch.NN;
using PSTorch.Optim;

namespace PSTorch.Construction;

/// <summary>
/// What New-Optimizer -Parameters accepts, as PyTorch's optimizers do: a module (its parameters), parameters, or
/// parameter groups written as hashtables, @{ params = $model.Output; lr = 0.01 }, whose other keys are group options.
/// </summary>
internal static class OptimizerParameters
{
    /// <summary>A List&lt;Parameter&gt;, or a List&lt;ParamGroup&gt; when groups were given.</summary>
    public static object Collect(object source)
    {
        var items = Flatten(source).ToList();
        bool anyGroup = items.Any(i => i is IDictionary);
        if (!anyGroup) return items.Cast<Parameter>().ToList();
        if (!items.All(i => i is IDictionary))
            throw new ArgumentException("Give either parameters or parameter groups (hashtables with a 'params' entry), not both.");
        return items.Cast<IDictionary>().Select(Group).ToList();
    }

    static IEnumerable<object> Flatten(object? value)
    {
        if (value is PSObject ps) value = ps.BaseObject;
        switch (value)
        {
            case Module m:
                foreach (var p in m.Parameters()) yield return p;
                break;
            case Parameter p:
                yield return p;
                break;
            case Tensor:
                throw new ArgumentException("An optimizer updates parameters; wrap a tensor with [PSTorch.NN.Parameter]::new($tensor) and compute with that parameter.");
            case IDictionary group:
                yield return group;
                break;
            case IEnumerable items and not string:
                foreach (var item in items)
                    foreach (var x in Flatten(item)) yield return x;
                break;
            default:
                throw new ArgumentException($"Cannot optimize {(value == null ? "$null" : $"a {value.GetType().Name}")}; give a module, parameters or parameter groups.");
        }
    }

    static ParamGroup Group(IDictionary table)
    {
        object? members = null;
        var options = new Dictionary<string, object>();
        foreach (DictionaryEntry entry in table)
        {
            var key = entry.Key?.ToString() ?? "";
            var value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
            if (OptionNames.Same(key, "params") || OptionNames.Same(key, "parameters")) members = value;
            else if (OptionNames.Same(key, "lr") || OptionNames.Same(key, "learningRate")) options["lr"] = value!;
            else options[OptionNames.Snake(key)] = value!;
        }
        if (members == null) throw new ArgumentException("A parameter group needs a 'params' entry.");
        return new ParamGroup(Flatten(members).Select(p => p as Parameter ?? throw new ArgumentException("A group's 'params' must hold parameters or modules.")), options);
    }
}
