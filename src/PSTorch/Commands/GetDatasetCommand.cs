using System.Management.Automation;
using PSTorch.Data;
using PSTorch.Vision;

namespace PSTorch.Commands;

/// <summary>The kinds of dataset Get-Dataset opens (tab completion lists them).</summary>
public enum DatasetKind
{
    FashionMnistSample,
    ImageFolder,
    Idx,
    Csv,
    Tensor,
}

/// <summary>
/// <para type="synopsis">Opens a dataset: the embedded Fashion-MNIST sample, an image folder, IDX files, a CSV file or tensors.</para>
/// <example><code>Get-Dataset ImageFolder -Path ./pets -Transform (New-Transform -Resize 32 -ToTensor)</code></example>
/// <example><code>Get-Dataset Idx -Path train-images-idx3-ubyte.gz -LabelsPath train-labels-idx1-ubyte.gz</code></example>
/// <example><code>Get-Dataset Tensor -Tensors $x, $y</code></example>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Dataset")]
[OutputType(typeof(Dataset))]
public sealed class GetDatasetCommand : PSCmdlet
{
    [Parameter(Position = 0)] public DatasetKind Kind { get; set; } = DatasetKind.FashionMnistSample;
    [Parameter(Position = 1)] public string? Path { get; set; }
    [Parameter] public string? LabelsPath { get; set; }
    [Parameter] public string? LabelColumn { get; set; }
    [Parameter] public SwitchParameter NoHeader { get; set; }
    [Parameter] public Tensor[]? Tensors { get; set; }
    [Parameter] public string[]? Extension { get; set; }
    [Parameter] public Transform? Transform { get; set; }
    [Parameter] public ScriptBlock? TargetTransform { get; set; }

    /// <summary>The test part (1,000 images) of the embedded sample instead of the training part (6,000).</summary>
    [Parameter] public SwitchParameter Test { get; set; }

    protected override void EndProcessing()
    {
        Func<object, object>? target = TargetTransform is null ? null : label => DataScripts.Invoke(TargetTransform, label);
        try
        {
            Dataset dataset = Kind switch
            {
                DatasetKind.FashionMnistSample => FashionMnistSample.Load(!Test, Transform, Path is null ? null : Resolve(Path)),
                DatasetKind.ImageFolder => OpenImageFolder(target),
                DatasetKind.Idx => new IdxDataset(Resolve(Required(Path, "-Path (the images file)")), Resolve(Required(LabelsPath, "-LabelsPath")), Transform, target),
                DatasetKind.Csv => new CsvDataset(Resolve(Required(Path, "-Path")), LabelColumn, NoHeader ? false : null),
                _ => new TensorDataset(Tensors ?? throw new ArgumentException("Get-Dataset -Kind Tensor needs -Tensors")),
            };
            WriteObject(dataset);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or UnauthorizedAccessException)
        {
            var category = e is FileNotFoundException or DirectoryNotFoundException ? ErrorCategory.ObjectNotFound
                : e is InvalidDataException ? ErrorCategory.InvalidData : ErrorCategory.InvalidArgument;
            ThrowTerminatingError(new ErrorRecord(e, "DatasetOpenFailed", category, Path));
        }
    }

    static string Required(string? value, string name) => value ?? throw new ArgumentException($"Get-Dataset needs {name} for this kind");

    string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    ImageFolder OpenImageFolder(Func<object, object>? target)
    {
        var root = Resolve(Required(Path, "-Path (the root folder)"));
        var record = new ProgressRecord(1, "Indexing image folder", root);
        var folder = new ImageFolder(root, Transform, target, extensions: Extension, progress: new ProgressReporter(p =>
        {
            record.StatusDescription = $"class {p.Class}: {p.FilesFound} files so far";
            record.PercentComplete = Math.Min(100, 100 * p.ClassNumber / Math.Max(1, p.ClassCount));
            WriteProgress(record);
        }));
        record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
        return folder;
    }

    /// <summary>Reports synchronously on the calling (pipeline) thread, where WriteProgress is allowed.</summary>
    sealed class ProgressReporter(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => report(value);
    }
}
