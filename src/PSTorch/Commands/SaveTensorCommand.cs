using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Saves a tensor, a list of tensors or a dictionary of tensors to a .safetensors file (torch.save).</para>
/// <example><code>Save-Tensor -Path weights.safetensors -InputObject $model.StateDict()</code></example>
/// </summary>
[Cmdlet(VerbsData.Save, "Tensor", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class SaveTensorCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)] public string Path { get; set; } = null!;
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)] public object InputObject { get; set; } = null!;
    [Parameter] public SwitchParameter Force { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    readonly List<object?> piped = [];
    object? value;

    protected override void ProcessRecord()
    {
        // piped tensors are collected into one list; a value given with -InputObject is saved as it is
        if (MyInvocation.ExpectingInput) piped.Add(DataScripts.Unwrap(InputObject));
        else value = DataScripts.Unwrap(InputObject);
    }

    protected override void EndProcessing()
    {
        // one piped list or dictionary is saved as it is
        var toSave = !MyInvocation.ExpectingInput ? value : piped is [var single and not Tensor] ? single : piped;
        var path = TensorFiles.Resolve(this, Path);
        if (!TensorFiles.MayWrite(this, path, Force, "tensor")) return;
        try
        {
            Torch.Save(toSave!, path);
            if (PassThru) WriteObject(new FileInfo(path));
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "NotTensors", ErrorCategory.InvalidType, InputObject));
        }
        catch (Exception e) when (TensorFiles.IsExpected(e))
        {
            WriteError(TensorFiles.Error(e, "TensorSaveFailed", path, reading: false));
        }
    }
}
