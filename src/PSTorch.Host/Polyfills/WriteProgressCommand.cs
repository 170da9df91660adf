using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Write-Progress, only added when the engine lacks it: hands a progress record to the host.</summary>
[Cmdlet(VerbsCommunications.Write, "Progress")]
public sealed class WriteProgressCommand : PSCmdlet
{
    // ProgressRecord refuses empty text; pwsh fills the same word in.
    private const string Placeholder = "Processing";

    [Parameter(Position = 0)]
    public string? Activity { get; set; }

    [Parameter(Position = 1)]
    public string? Status { get; set; }

    [Parameter(Position = 2)]
    [ValidateRange(0, int.MaxValue)]
    public int Id { get; set; }

    [Parameter]
    [ValidateRange(-1, 100)]
    public int PercentComplete { get; set; } = -1;

    [Parameter]
    public int SecondsRemaining { get; set; } = -1;

    [Parameter]
    public string? CurrentOperation { get; set; }

    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int ParentId { get; set; } = -1;

    [Parameter]
    public SwitchParameter Completed { get; set; }

    protected override void ProcessRecord()
    {
        var record = new ProgressRecord(Id, NonEmpty(Activity), NonEmpty(Status))
        {
            PercentComplete = PercentComplete,
            SecondsRemaining = SecondsRemaining,
            CurrentOperation = CurrentOperation,
            ParentActivityId = ParentId,
            RecordType = Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        WriteProgress(record);
    }

    private static string NonEmpty(string? text) => string.IsNullOrEmpty(text) ? Placeholder : text;
}
