using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>
/// Runs a script block with graph recording switched on or off (torch.no_grad / torch.enable_grad), in the
/// caller's scope so variables it assigns stay visible, and restores the previous mode afterwards, also on error.
/// </summary>
public abstract class GradModeScriptCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    /// <summary>Values for the script block's param() block or $args.</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    public object[] ArgumentList { get; set; } = [];

    protected abstract bool GradEnabled { get; }

    protected override void EndProcessing()
    {
        using (Torch.SetGradEnabled(GradEnabled))
        {
            foreach (var result in SessionState.InvokeCommand.InvokeScript(false, ScriptBlock, null, ArgumentList))
                WriteObject(result);
        }
    }
}
