namespace PSTorch.Commands;

/// <summary>Runs a script block with graph recording switched on or off (torch.no_grad / torch.enable_grad).</summary>
public abstract class GradModeScriptCommand : ScopedScriptCommand
{
    protected abstract bool GradEnabled { get; }

    protected override IDisposable EnterScope() => Torch.SetGradEnabled(GradEnabled);
}
