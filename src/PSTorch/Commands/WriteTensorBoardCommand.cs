using System.Management.Automation;
using PSTorch.IO.TensorBoard;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Writes scalars, histograms, images or text to a TensorBoard event file (SummaryWriter.add_scalar and friends).</para>
/// <example><code>Write-TensorBoard -LogDir runs/a -Tag loss -Value 0.42 -Step 3</code></example>
/// <example><code>Invoke-Training | Write-TensorBoard -LogDir runs/a -PassThru | Export-Csv history.csv</code></example>
/// </summary>
[Cmdlet(VerbsCommunications.Write, "TensorBoard", DefaultParameterSetName = ScalarSet)]
[OutputType(typeof(object))]
public sealed class WriteTensorBoardCommand : PSCmdlet
{
    const string ScalarSet = "Scalar", HistogramSet = "Histogram", ImageSet = "Image", TextSet = "Text", ObjectSet = "InputObject";

    /// <summary>The run folder; each folder gets one event file per session. Relative paths start at the current location.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string LogDir { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = ScalarSet)]
    [Parameter(Mandatory = true, ParameterSetName = HistogramSet)]
    [Parameter(Mandatory = true, ParameterSetName = ImageSet)]
    [Parameter(Mandatory = true, ParameterSetName = TextSet)]
    [Parameter(ParameterSetName = ObjectSet)]
    public string Tag { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = ScalarSet)]
    public double Value { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = HistogramSet)]
    public Tensor Histogram { get; set; } = null!;

    [Parameter(ParameterSetName = HistogramSet)]
    [ValidateRange(1, 100_000)]
    public int Bins { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ImageSet)]
    public Tensor Image { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = TextSet)]
    public string Text { get; set; } = null!;

    [Parameter(ParameterSetName = ScalarSet)]
    [Parameter(ParameterSetName = HistogramSet)]
    [Parameter(ParameterSetName = ImageSet)]
    [Parameter(ParameterSetName = TextSet)]
    public long Step { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public PSObject InputObject { get; set; } = null!;

    [Parameter(ParameterSetName = ObjectSet)]
    public string[]? Property { get; set; }

    [Parameter(ParameterSetName = ObjectSet)]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Properties that give a record's step, in order of preference.</summary>
    static readonly string[] StepProperties = ["Step", "Epoch"];

    long recordIndex;

    protected override void ProcessRecord()
    {
        string logDir = SessionState.Path.GetUnresolvedProviderPathFromPSPath(LogDir);
        SummaryWriter writer;
        try
        {
            writer = TensorBoardWriters.For(logDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "LogDirNotWritable", ErrorCategory.WriteError, logDir));
            return;
        }
        try
        {
            switch (ParameterSetName)
            {
                case ScalarSet: writer.AddScalar(Tag, Value, Step); break;
                case HistogramSet: writer.AddHistogram(Tag, Histogram, Step, Bins > 0 ? Bins : null); break;
                case ImageSet when Image.NDim == 4: writer.AddImages(Tag, Image, Step); break;
                case ImageSet: writer.AddImage(Tag, Image, Step); break;
                case TextSet: writer.AddText(Tag, Text, Step); break;
                default: WriteRecord(writer); break;
            }
            writer.Flush();
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            WriteError(TorchErrors.Record(e, "TensorBoardWriteFailed", ParameterSetName == ObjectSet ? InputObject : Tag));
        }
        catch (IOException e)
        {
            WriteError(new ErrorRecord(e, "TensorBoardWriteFailed", ErrorCategory.WriteError, logDir));
        }
        finally
        {
            if (ParameterSetName == ObjectSet)
            {
                recordIndex++;
                if (PassThru) WriteObject(InputObject);
            }
        }
    }

    /// <summary>Every numeric property (or those of -Property) as a scalar, at the record's Step or Epoch, else its index in the pipeline (0, 1, ...).</summary>
    void WriteRecord(SummaryWriter writer)
    {
        var numbers = PipelineRecords.Numbers(InputObject);
        var stepProperty = StepProperties
            .Select(name => numbers.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(p => p.Key is not null);
        long step = stepProperty.Key is not null ? (long)stepProperty.Value : recordIndex;
        var scalars = Property is { Length: > 0 }
            ? PipelineRecords.Numbers(InputObject, Property)
            : numbers.Where(p => p.Key != stepProperty.Key).ToList();
        if (scalars.Count == 0) throw new ArgumentException("The input object has no numeric property to write; name them with -Property.");
        string prefix = string.IsNullOrEmpty(Tag) ? "" : Tag.TrimEnd('/') + "/";
        foreach (var (name, value) in scalars) writer.AddScalar(prefix + name, value, step);
    }
}
