using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Write-Error, only added when the engine lacks it: a non-terminating error from a message, an exception or a record.</summary>
[Cmdlet(VerbsCommunications.Write, "Error", DefaultParameterSetName = MessageSet)]
public sealed class WriteErrorCommand : PSCmdlet
{
    private const string MessageSet = "NoException";
    private const string ExceptionSet = "WithException";
    private const string RecordSet = "ErrorRecord";

    [Parameter(ParameterSetName = MessageSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = ExceptionSet)]
    [AllowNull]
    [AllowEmptyString]
    [Alias("Msg")]
    public string? Message { get; set; }

    [Parameter(ParameterSetName = ExceptionSet, Mandatory = true)]
    public Exception? Exception { get; set; }

    [Parameter(ParameterSetName = RecordSet, Mandatory = true)]
    public ErrorRecord? ErrorRecord { get; set; }

    [Parameter(ParameterSetName = MessageSet)]
    [Parameter(ParameterSetName = ExceptionSet)]
    public ErrorCategory Category { get; set; } = ErrorCategory.NotSpecified;

    [Parameter(ParameterSetName = MessageSet)]
    [Parameter(ParameterSetName = ExceptionSet)]
    public string ErrorId { get; set; } = "Microsoft.PowerShell.Commands.WriteErrorException";

    [Parameter(ParameterSetName = MessageSet)]
    [Parameter(ParameterSetName = ExceptionSet)]
    public object? TargetObject { get; set; }

    protected override void ProcessRecord()
    {
        var record = ErrorRecord ?? new ErrorRecord(
            Exception ?? new RuntimeException(Message ?? ""), ErrorId, Category, TargetObject);
        if (ErrorRecord is null && Exception is not null && Message is not null)
            record.ErrorDetails = new ErrorDetails(Message);
        WriteError(record);
    }
}
