using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace PSTorch.Host;

/// <summary>
/// The PSHost behind pstorch. It records the engine's request to exit ('exit N' at top level)
/// and hands out the user interface; everything else is the engine's default behaviour.
/// </summary>
internal sealed class PSTorchHost : PSHost
{
    private readonly HostUserInterface _ui;

    public PSTorchHost(HostUserInterface ui, OutputCapture capture)
    {
        _ui = ui;
        PrivateData = new PSObject(new HostPrivateData(capture));
    }

    public override string Name => "pstorch";
    public override Version Version { get; } = typeof(PSTorchHost).Assembly.GetName().Version ?? new Version(0, 1);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
    public override PSObject PrivateData { get; }

    public bool ShouldExit { get; private set; }
    public int ExitCode { get; private set; }

    public override void SetShouldExit(int exitCode)
    {
        ShouldExit = true;
        ExitCode = exitCode;
    }

    public override void EnterNestedPrompt() =>
        throw new NotSupportedException("pstorch has no nested prompt (debugger breakpoints and $Host.EnterNestedPrompt() are not available).");

    public override void ExitNestedPrompt() =>
        throw new NotSupportedException("pstorch has no nested prompt.");

    public override void NotifyBeginApplication() { }

    public override void NotifyEndApplication() { }
}
