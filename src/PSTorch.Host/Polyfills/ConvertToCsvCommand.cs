using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>ConvertTo-Csv, only added when the engine lacks it: objects to CSV lines (header first).</summary>
[Cmdlet(VerbsData.ConvertTo, "Csv")]
[OutputType(typeof(string))]
public sealed class ConvertToCsvCommand : PSCmdlet
{
    private CsvFormatter? _formatter;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = null!;

    [Parameter]
    public char Delimiter { get; set; } = ',';

    /// <summary>Accepted for compatibility: pwsh 7 never writes the type line either.</summary>
    [Parameter]
    [Alias("NTI")]
    public SwitchParameter NoTypeInformation { get; set; }

    [Parameter]
    public SwitchParameter NoHeader { get; set; }

    protected override void BeginProcessing() => _formatter = new CsvFormatter(Delimiter);

    protected override void ProcessRecord()
    {
        if (!_formatter!.HasHeader)
        {
            var header = _formatter.Header(InputObject);
            if (!NoHeader) WriteObject(header);
        }
        WriteObject(_formatter.Row(InputObject));
    }
}
