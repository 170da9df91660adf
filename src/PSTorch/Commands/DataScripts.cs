using System.Collections;
using System.Management.Automation;
using PSTorch.Vision;

namespace PSTorch.Commands;

/// <summary>Runs PowerShell script blocks for data cmdlets and turns their output into plain .NET samples.</summary>
internal static class DataScripts
{
    /// <summary>The script block's output as a sample: one value as itself, several as object[]; PSObject wrappers removed.</summary>
    public static object Invoke(ScriptBlock script, object argument)
    {
        if (System.Management.Automation.Runspaces.Runspace.DefaultRunspace == null)
            throw new InvalidOperationException(
                "A PowerShell script block in this dataset ran on a data loader worker thread, where no PowerShell runspace exists. " +
                "Script blocks (-TargetTransform, -Lambda, -GetItem) run only on the pipeline's thread: create the loader with -Workers 0.");
        var output = script.Invoke(argument);
        return output.Count == 1 ? Unwrap(output[0])! : output.Select(Unwrap).ToArray()!;
    }

    public static object? Unwrap(object? value) => value switch
    {
        PSObject ps => Unwrap(ps.BaseObject),
        object[] array => array.Select(Unwrap).ToArray(),
        IDictionary dictionary => dictionary.Keys.Cast<object>().ToDictionary(k => Unwrap(k)!, k => Unwrap(dictionary[k])!),
        _ => value,
    };

    /// <summary>True when a transform runs PowerShell code, which only the enumerating thread may run.</summary>
    public static bool RunsScript(Transform? transform) => transform switch
    {
        ScriptTransform => true,
        Compose compose => compose.Transforms.Any(RunsScript),
        _ => false,
    };
}

/// <summary>Lambda from a script block: <c>{ param($x) ... }</c> (runs on the thread enumerating the loader).</summary>
public sealed class ScriptTransform : Transform
{
    public ScriptTransform(ScriptBlock script) => Script = script;
    public ScriptBlock Script { get; }
    public override object Apply(object input) => DataScripts.Invoke(Script, input);
    public override string ToString() => "Lambda({" + Script + "})";
}
