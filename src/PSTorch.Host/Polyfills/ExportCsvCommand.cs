using System.Management.Automation;
using System.Text;

namespace PSTorch.Host.Polyfills;

/// <summary>Export-Csv, only added when the engine lacks it: objects to a UTF-8 CSV file; -Append adds rows under the existing header.</summary>
[Cmdlet(VerbsData.Export, "Csv", SupportsShouldProcess = true)]
public sealed class ExportCsvCommand : PSCmdlet, IDisposable
{
    private CsvFormatter? _formatter;
    private StreamWriter? _writer;

    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = null!;

    [Parameter]
    public char Delimiter { get; set; } = ',';

    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Accepted for compatibility: pwsh 7 never writes the type line either.</summary>
    [Parameter]
    [Alias("NTI")]
    public SwitchParameter NoTypeInformation { get; set; }

    protected override void BeginProcessing()
    {
        var fullPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(fullPath)) return;
        _formatter = new CsvFormatter(Delimiter);
        var existingHeader = Append && File.Exists(fullPath) ? File.ReadLines(fullPath).FirstOrDefault() : null;
        if (!string.IsNullOrWhiteSpace(existingHeader)) _formatter.UseColumns(existingHeader);
        _writer = new StreamWriter(fullPath, Append, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    protected override void ProcessRecord()
    {
        if (_writer is null || _formatter is null) return;
        if (!_formatter.HasHeader) _writer.WriteLine(_formatter.Header(InputObject));
        _writer.WriteLine(_formatter.Row(InputObject));
    }

    protected override void EndProcessing() => _writer?.Dispose();

    /// <summary>The engine disposes the cmdlet when the pipeline ends, stopped or failed, which closes the file.</summary>
    public void Dispose() => _writer?.Dispose();
}
