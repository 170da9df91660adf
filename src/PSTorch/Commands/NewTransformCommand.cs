using System.Management.Automation;
using PSTorch.Vision;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Composes image transforms (torchvision.transforms) from switches and values.</para>
/// <para type="description">Steps run in this order: -Transform (existing ones), -Resize, -CenterCrop, -RandomCrop
/// (with -Padding), -RandomResizedCrop (with -Scale, -Ratio), -Pad, -RandomHorizontalFlip, -RandomVerticalFlip,
/// -RandomRotation, -ColorJitter (brightness, contrast, saturation, hue), -Grayscale, -Lambda, -ToTensor,
/// -Normalize (with -Mean, -Std). Compose others with -Transform to get another order.</para>
/// <example><code>New-Transform -RandomResizedCrop 224 -RandomHorizontalFlip -ToTensor -Normalize -Mean 0.485,0.456,0.406 -Std 0.229,0.224,0.225</code></example>
/// </summary>
[Cmdlet(VerbsCommon.New, "Transform")]
[OutputType(typeof(Transform))]
public sealed class NewTransformCommand : PSCmdlet
{
    [Parameter(ValueFromPipeline = true)] public Transform[]? Transform { get; set; }
    [Parameter] public int[]? Resize { get; set; }
    [Parameter] public int[]? CenterCrop { get; set; }
    [Parameter] public int[]? RandomCrop { get; set; }
    [Parameter] public int[]? Padding { get; set; }
    [Parameter] public int[]? RandomResizedCrop { get; set; }
    [Parameter] public double[]? Scale { get; set; }
    [Parameter] public double[]? Ratio { get; set; }
    [Parameter] public int[]? Pad { get; set; }
    [Parameter] public SwitchParameter RandomHorizontalFlip { get; set; }
    [Parameter] public SwitchParameter RandomVerticalFlip { get; set; }
    [Parameter] public double? RandomRotation { get; set; }
    [Parameter] public double[]? ColorJitter { get; set; }
    [Parameter] public int? Grayscale { get; set; }
    [Parameter] public ScriptBlock? Lambda { get; set; }
    [Parameter] public SwitchParameter ToTensor { get; set; }
    [Parameter] public SwitchParameter Normalize { get; set; }
    [Parameter] public double[]? Mean { get; set; }
    [Parameter] public double[]? Std { get; set; }

    readonly List<Transform> steps = [];

    protected override void ProcessRecord()
    {
        if (Transform is not null) steps.AddRange(Transform);
    }

    protected override void EndProcessing()
    {
        try
        {
            if (Resize is not null) steps.Add(Resize.Length == 1 ? new Resize(Resize[0]) : new Resize(Resize[0], Resize[1]));
            if (CenterCrop is not null) steps.Add(new CenterCrop(CenterCrop));
            if (RandomCrop is not null) steps.Add(new RandomCrop(RandomCrop, Padding));
            if (RandomResizedCrop is not null) steps.Add(new RandomResizedCrop(RandomResizedCrop, Scale, Ratio));
            if (Pad is not null) steps.Add(new Pad(Pad));
            if (RandomHorizontalFlip) steps.Add(new RandomHorizontalFlip());
            if (RandomVerticalFlip) steps.Add(new RandomVerticalFlip());
            if (RandomRotation is { } degrees) steps.Add(new RandomRotation(degrees));
            if (ColorJitter is not null)
            {
                double At(int i) => i < ColorJitter.Length ? ColorJitter[i] : 0;
                steps.Add(new ColorJitter(At(0), At(1), At(2), At(3)));
            }
            if (Grayscale is { } channels) steps.Add(new Grayscale(channels));
            if (Lambda is not null) steps.Add(new ScriptTransform(Lambda));
            if (ToTensor) steps.Add(new ToTensor());
            if (Normalize)
                steps.Add(new Normalize(Mean ?? throw new ArgumentException("-Normalize needs -Mean"), Std ?? throw new ArgumentException("-Normalize needs -Std")));
            if (steps.Count == 0) throw new ArgumentException("New-Transform needs at least one transform");
            WriteObject(steps.Count == 1 ? steps[0] : new Compose(steps));
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidTransform", ErrorCategory.InvalidArgument, null));
        }
    }
}
