using System.Management.Automation;
using PSTorch.Completion;
using PSTorch.IO;
using PSTorch.NN;
using PSTorch.Optim;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Reads a checkpoint (.safetensors) and, with -Model, restores it into a model, optimizer and scheduler.</para>
/// <example><code>Import-Checkpoint run1.safetensors -Model $model -Optimizer $opt</code></example>
/// </summary>
[Cmdlet(VerbsData.Import, "Checkpoint")]
[OutputType(typeof(Checkpoint))]
public sealed class ImportCheckpointCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    public string Path { get; set; } = null!;

    [Parameter] public Module? Model { get; set; }
    [Parameter] public Optimizer? Optimizer { get; set; }
    [Parameter] public LRScheduler? Scheduler { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string? Device { get; set; }

    [Parameter] public SwitchParameter NonStrict { get; set; }
    [Parameter] public SwitchParameter NoRng { get; set; }

    Device? device;

    protected override void BeginProcessing()
    {
        device = TorchErrors.ParseDevice(this, Device);
        if (Model == null && (Optimizer != null || Scheduler != null))
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Optimizer and -Scheduler are restored together with a model: give -Model too."),
                "ModelRequired", ErrorCategory.InvalidArgument, null));
    }

    protected override void ProcessRecord()
    {
        var path = TensorFiles.Resolve(this, Path);
        if (!TensorFiles.Exists(this, path)) return;
        Checkpoint checkpoint;
        try { checkpoint = Checkpoint.Load(path, device); }
        catch (Exception e) when (e is InvalidDataException || TensorFiles.IsExpected(e))
        {
            WriteError(TensorFiles.Error(e, "CheckpointLoadFailed", path, reading: true));
            return;
        }
        if (Model == null)
        {
            WriteObject(checkpoint);
            return;
        }

        LoadStateDictResult result;
        try { result = checkpoint.Restore(Model, Optimizer, Scheduler, strict: !NonStrict, restoreRng: !NoRng); }
        catch (Exception e) when (TensorFiles.IsExpected(e))
        {
            WriteError(TorchErrors.Record(e, "CheckpointRestoreFailed", path));
            return;
        }
        if (result.MissingKeys.Count > 0) WriteWarning($"Missing key(s) not in the checkpoint, left as they were: {string.Join(", ", result.MissingKeys)}");
        if (result.UnexpectedKeys.Count > 0) WriteWarning($"Unexpected key(s) in the checkpoint, not loaded: {string.Join(", ", result.UnexpectedKeys)}");
        var output = new PSObject(checkpoint);
        output.Properties.Add(new PSNoteProperty("MissingKeys", result.MissingKeys.ToArray()));
        output.Properties.Add(new PSNoteProperty("UnexpectedKeys", result.UnexpectedKeys.ToArray()));
        WriteObject(output);
    }
}
