using System.Globalization;
using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Get-Date, only added when the engine lacks it: the current (or given) time, or its text with -Format.</summary>
[Cmdlet(VerbsCommon.Get, "Date")]
[OutputType(typeof(DateTime), typeof(string))]
public sealed class GetDateCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [Alias("LastWriteTime")]
    public DateTime? Date { get; set; }

    [Parameter]
    public string? Format { get; set; }

    protected override void ProcessRecord()
    {
        var date = Date ?? DateTime.Now;
        WriteObject(Format is null ? date : date.ToString(Format, CultureInfo.CurrentCulture));
    }
}
