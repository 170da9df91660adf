using System.Management.Automation;
using PSTorch.Completion;
using PSTorch.NN;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Reads a .safetensors file written by Save-Tensor (or by Python's safetensors) back as a tensor, a tensor array or a state dict (torch.load).</para>
/// <example><code>$w = Import-Tensor weights.safetensors; $model.LoadStateDict($w)</code></example>
/// </summary>
[Cmdlet(VerbsData.Import, "Tensor")]
[OutputType(typeof(Tensor), typeof(Tensor[]), typeof(StateDict))]
public sealed class ImportTensorCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    public string Path { get; set; } = null!;

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string? Device { get; set; }

    Device? device;

    protected override void BeginProcessing() => device = TorchErrors.ParseDevice(this, Device);

    protected override void ProcessRecord()
    {
        var path = TensorFiles.Resolve(this, Path);
        if (!TensorFiles.Exists(this, path)) return;
        try
        {
            // one object, whatever it is: a saved list stays one Tensor[] and a state dict is not unrolled into pairs
            WriteObject(Torch.Load(path, device), enumerateCollection: false);
        }
        catch (Exception e) when (e is InvalidDataException || TensorFiles.IsExpected(e))
        {
            WriteError(TensorFiles.Error(e, "TensorLoadFailed", path, reading: true));
        }
    }
}
