using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>Invoke-NoGrad { ... }: torch.no_grad() for a script block.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "NoGrad")]
public sealed class InvokeNoGradCommand : GradModeScriptCommand
{
    protected override bool GradEnabled => false;
}
