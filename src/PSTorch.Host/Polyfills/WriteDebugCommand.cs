using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Write-Debug, only added when the engine lacks it; the engine applies $DebugPreference.</summary>
[Cmdlet(VerbsCommunications.Write, "Debug")]
public sealed class WriteDebugCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    [Alias("Msg")]
    public string Message { get; set; } = "";

    protected override void ProcessRecord() => WriteDebug(Message);
}
