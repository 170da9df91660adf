using System.Collections;
using System.Management.Automation;
using PSTorch.IO;
using PSTorch.NN;
using PSTorch.Optim;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Saves a model with its optimizer, scheduler, epoch, generator state and metadata as a checkpoint (.safetensors).</para>
/// <example><code>Save-Checkpoint -Path run1.safetensors -Model $model -Optimizer $opt -Epoch 5 -Force</code></example>
/// </summary>
[Cmdlet(VerbsData.Save, "Checkpoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Checkpoint))]
public sealed class SaveCheckpointCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)] public string Path { get; set; } = null!;
    [Parameter(Mandatory = true, Position = 1)] public Module Model { get; set; } = null!;
    [Parameter] public Optimizer? Optimizer { get; set; }
    [Parameter] public LRScheduler? Scheduler { get; set; }
    [Parameter] public long Epoch { get; set; }
    [Parameter] public IDictionary? Metadata { get; set; }
    [Parameter] public SwitchParameter Force { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var path = TensorFiles.Resolve(this, Path);
        if (!TensorFiles.MayWrite(this, path, Force, "checkpoint")) return;
        try
        {
            var checkpoint = Checkpoint.Capture(Model, Optimizer, Scheduler, Epoch, MetadataStrings());
            checkpoint.Save(path);
            if (PassThru) WriteObject(checkpoint);
        }
        catch (Exception e) when (TensorFiles.IsExpected(e))
        {
            WriteError(TensorFiles.Error(e, "CheckpointSaveFailed", path, reading: false));
        }
    }

    /// <summary>-Metadata's values as strings, converted the way PowerShell converts values to strings.</summary>
    Dictionary<string, string>? MetadataStrings()
    {
        if (Metadata == null) return null;
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry kv in Metadata)
            strings[LanguagePrimitives.ConvertTo<string>(kv.Key)] = LanguagePrimitives.ConvertTo<string>(kv.Value) ?? "";
        return strings;
    }
}
