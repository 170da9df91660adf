using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Write-Output, only added when the engine lacks it: sends its arguments down the pipeline.</summary>
[Cmdlet(VerbsCommunications.Write, "Output")]
public sealed class WriteOutputCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromRemainingArguments = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public PSObject[]? InputObject { get; set; }

    [Parameter]
    public SwitchParameter NoEnumerate { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            WriteObject(null);
            return;
        }
        foreach (var item in InputObject) WriteObject(item, enumerateCollection: !NoEnumerate);
    }
}
