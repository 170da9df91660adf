using System.Management.Automation;
using PSTorch.Completion;
using PSTorch.NN;
using PSTorch.Training;
using PSTorch.Vision;

namespace PSTorch.Commands;

/// <summary>
/// Get-Prediction: the class and probability a classifier gives to each input from the pipeline: tensors (rank 1
/// or 3: one sample; rank 2 or 4: a batch, or any rank with -Batch) and image files (FileInfo or paths, decoded and
/// passed through -Transform, ToTensor by default).
/// </summary>
[Cmdlet(VerbsCommon.Get, "Prediction")]
[OutputType(typeof(Prediction))]
public sealed class GetPredictionCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)] public Module Model { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [Alias("Path", "FullName")]
    public object InputObject { get; set; } = null!;

    [Parameter] public Transform? Transform { get; set; }
    [Parameter] public string[]? ClassNames { get; set; }

    /// <summary>Dim 0 of a tensor holds samples, whatever its rank.</summary>
    [Parameter] public SwitchParameter Batch { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string? Device { get; set; }

    Predictor? predictor;
    int nextIndex;

    protected override void BeginProcessing()
    {
        var device = TorchErrors.ParseDevice(this, Device);
        if (device is { } d) Model.To(d);
        predictor = new Predictor(Model, ClassNames, Transform, device);
    }

    protected override void ProcessRecord()
    {
        var input = InputObject is PSObject ps ? ps.BaseObject : InputObject;
        try
        {
            switch (input)
            {
                case Tensor tensor:
                    bool isBatch = Batch || tensor.NDim is 2 or 4;
                    var predictions = predictor!.Predict(tensor, isBatch, nextIndex);
                    nextIndex += predictions.Count;
                    WriteObject(predictions, enumerateCollection: true);
                    break;
                case FileInfo file:
                    WriteObject(predictor!.PredictImage(file.FullName));
                    break;
                case string path:
                    WriteObject(predictor!.PredictImage(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path)));
                    break;
                default:
                    throw new ArgumentException($"Get-Prediction takes tensors and image files (FileInfo or paths), got {input?.GetType().Name ?? "null"}");
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or NotSupportedException)
        {
            // One bad input (a corrupt image) is reported and the others still get their predictions.
            WriteError(TorchErrors.Record(e, "PredictionFailed", InputObject, ErrorCategory.InvalidData));
        }
    }
}
