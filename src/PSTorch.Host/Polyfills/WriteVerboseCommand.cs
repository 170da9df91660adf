using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Write-Verbose, only added when the engine lacks it; the engine applies $VerbosePreference.</summary>
[Cmdlet(VerbsCommunications.Write, "Verbose")]
public sealed class WriteVerboseCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    [Alias("Msg")]
    public string Message { get; set; } = "";

    protected override void ProcessRecord() => WriteVerbose(Message);
}
