using System.Management.Automation;
using PSTorch.Data;
using PSTorch.Vision;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Writes a batch of images (a [B, C, H, W] tensor or a loader batch) as one grid image (PNG or JPEG).</para>
/// <example><code>$loader | Select-Object -First 1 | Export-ImageGrid -Path batch.png -NRow 8 -Normalize</code></example>
/// </summary>
[Cmdlet(VerbsData.Export, "ImageGrid", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportImageGridCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)] public object InputObject { get; set; } = null!;
    [Parameter(Mandatory = true, Position = 1)] public string Path { get; set; } = null!;
    [Parameter] public int NRow { get; set; } = 8;
    [Parameter] public int Padding { get; set; } = 2;
    [Parameter] public SwitchParameter Normalize { get; set; }
    [Parameter, ValidateSet("png", "jpeg")] public string? Format { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var value = DataScripts.Unwrap(InputObject);
        var images = value switch
        {
            Tensor t => t,
            Batch { Inputs: Tensor inputs } => inputs,
            _ => null,
        };
        if (images is null)
        {
            WriteError(new ErrorRecord(new ArgumentException($"Export-ImageGrid needs an image tensor or a batch, got {value?.GetType().Name ?? "null"}"), "NotAnImageBatch", ErrorCategory.InvalidType, InputObject));
            return;
        }
        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, File.Exists(path) ? "Overwrite image file" : "Write image file")) return;
        try
        {
            ImageGrid.SaveImage(images, path, NRow, Padding, Normalize, format: Format);
            if (PassThru) WriteObject(new FileInfo(path));
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "ImageGridWriteFailed", e is ArgumentException ? ErrorCategory.InvalidArgument : ErrorCategory.WriteError, path));
        }
    }
}
