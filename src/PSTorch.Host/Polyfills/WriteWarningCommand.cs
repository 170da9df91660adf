using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Write-Warning, only added when the engine lacks it; the engine applies $WarningPreference.</summary>
[Cmdlet(VerbsCommunications.Write, "Warning")]
public sealed class WriteWarningCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    [Alias("Msg")]
    public string Message { get; set; } = "";

    protected override void ProcessRecord() => WriteWarning(Message);
}
