using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Write-Information, only added when the engine lacks it; the engine applies $InformationPreference.</summary>
[Cmdlet(VerbsCommunications.Write, "Information")]
public sealed class WriteInformationCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Msg", "Message")]
    [AllowNull]
    public object? MessageData { get; set; }

    [Parameter(Position = 1)]
    public string[]? Tags { get; set; }

    protected override void ProcessRecord() => WriteInformation(MessageData, Tags);
}
