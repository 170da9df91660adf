using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>
/// Runs a script block inside a scope of the engine (grad mode, autocast), in the caller's scope so variables it
/// assigns stay visible, and leaves the scope afterwards, also on error: Python's <c>with ...:</c> block.
/// </summary>
public abstract class ScopedScriptCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    /// <summary>Values for the script block's param() block or $args.</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    public object[] ArgumentList { get; set; } = [];

    /// <summary>Enters the scope; disposing the result leaves it.</summary>
    protected abstract IDisposable EnterScope();

    protected override void EndProcessing()
    {
        using (EnterScope())
        {
            foreach (var result in SessionState.InvokeCommand.InvokeScript(false, ScriptBlock, null, ArgumentList))
                WriteObject(result);
        }
    }
}
