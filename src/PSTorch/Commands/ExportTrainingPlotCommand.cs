using System.Management.Automation;
using PSTorch.Plotting;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Draws the epoch records from the pipeline as loss and accuracy curves in a PNG file.</para>
/// <example><code>Invoke-Training | Export-TrainingPlot loss.png</code></example>
/// </summary>
[Cmdlet(VerbsData.Export, "TrainingPlot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportTrainingPlotCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = null!;

    [Parameter]
    [ValidateRange(16, 10_000)]
    public int Width { get; set; } = 900;

    [Parameter]
    [ValidateRange(16, 10_000)]
    public int Height { get; set; } = 700;

    [Parameter]
    public string? Title { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    readonly List<IReadOnlyDictionary<string, double>> records = [];

    protected override void ProcessRecord() =>
        records.Add(PipelineRecords.Numbers(InputObject).GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value));

    protected override void EndProcessing()
    {
        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        TrainingPlot plot;
        try
        {
            plot = new TrainingPlot(records) { Title = Title };
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "NothingToPlot", ErrorCategory.InvalidData, records.Count));
            return;
        }
        if (File.Exists(path) && !Force)
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{path}' already exists. Use -Force to overwrite it."),
                "PlotFileExists", ErrorCategory.ResourceExists, path));
            return;
        }
        if (!ShouldProcess(path, File.Exists(path) ? "Overwrite training plot" : "Write training plot")) return;
        try
        {
            plot.SavePng(path, Width, Height);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "PlotWriteFailed", ErrorCategory.WriteError, path));
            return;
        }
        if (PassThru) WriteObject(new FileInfo(path));
    }
}
