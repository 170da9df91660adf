using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>Invoke-EnableGrad { ... }: torch.enable_grad() for a script block, e.g. inside Invoke-NoGrad.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "EnableGrad")]
public sealed class InvokeEnableGradCommand : GradModeScriptCommand
{
    protected override bool GradEnabled => true;
}
