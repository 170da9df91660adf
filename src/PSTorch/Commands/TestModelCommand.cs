using System.Management.Automation;
using PSTorch.Completion;
using PSTorch.Construction;
using PSTorch.Data;
using PSTorch.NN;
using PSTorch.Training;

namespace PSTorch.Commands;

/// <summary>Test-Model: evaluates a model over a loader in eval mode without gradients: loss, accuracy, top-k, per-class accuracy and the confusion matrix.</summary>
[Cmdlet(VerbsDiagnostic.Test, "Model")]
[OutputType(typeof(EvaluationResult))]
public sealed class TestModelCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)] public Module Model { get; set; } = null!;
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)] public DataLoader Loader { get; set; } = null!;

    /// <summary>A loss module or name (CrossEntropyLoss by default).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(LossNameCompleter))]
    public object? Loss { get; set; }

    [Parameter] public int[]? TopK { get; set; }
    [Parameter] public string[]? ClassNames { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string? Device { get; set; }

    readonly CancellationTokenSource cancel = new();

    protected override void StopProcessing() => cancel.Cancel();

    protected override void ProcessRecord()
    {
        var device = TorchErrors.ParseDevice(this, Device);
        try
        {
            var loss = Loss is null ? new CrossEntropyLoss() : ByName.Loss(DataScripts.Unwrap(Loss)!);
            if (device is { } d) Model.To(d);
            WriteObject(Evaluation.Run(Model, Loader, loss, TopK, device, ClassNames, cancel.Token));
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or InvalidDataException)
        {
            ThrowTerminatingError(TorchErrors.Record(e, "EvaluationFailed", Model, ErrorCategory.InvalidData, device));
        }
    }
}
