using System.Management.Automation;
using PSTorch.Data;
using PSTorch.Vision;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Creates a DataLoader (torch.utils.data.DataLoader) over a dataset.</para>
/// <para type="description">Enumerate the loader to run one epoch: <c>$loader | ForEach-Object { $_.Inputs.Shape }</c>.
/// Each batch has .Inputs and .Targets. -Workers loads batches on worker threads; PowerShell script blocks in the
/// dataset or transform always run on the enumerating thread. -PinMemory puts the batches in page-locked memory when a CUDA
/// device is usable (nothing changes without one).</para>
/// <example><code>Get-Dataset FashionMnistSample | New-DataLoader -BatchSize 64 -Shuffle -Seed 1</code></example>
/// </summary>
[Cmdlet(VerbsCommon.New, "DataLoader")]
[OutputType(typeof(DataLoader))]
public sealed class NewDataLoaderCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public object Dataset { get; set; } = null!;

    [Parameter] public int BatchSize { get; set; } = 1;
    [Parameter] public SwitchParameter Shuffle { get; set; }
    [Parameter] public Sampler? Sampler { get; set; }
    [Parameter] public int Workers { get; set; }
    [Parameter] public int? PrefetchFactor { get; set; }
    [Parameter] public SwitchParameter DropLast { get; set; }
    [Parameter] public SwitchParameter PinMemory { get; set; }
    [Parameter] public Transform? Transform { get; set; }
    [Parameter] public long? Seed { get; set; }
    [Parameter] public BadSamplePolicy BadSamples { get; set; } = BadSamplePolicy.Raise;
    [Parameter] public ScriptBlock? Collate { get; set; }

    protected override void ProcessRecord()
    {
        var dataset = DataScripts.Unwrap(Dataset);
        try
        {
            if (Transform is not null) ApplyTransform(dataset!);
            var scripted = Collate is not null || DataScripts.RunsScript(Transform)
                || (dataset is Data.Dataset d && !d.SupportsWorkerThreads) || (dataset is IterableDataset i && !i.SupportsWorkerThreads);
            int workers = Workers;
            if (workers > 0 && scripted)
            {
                WriteWarning("The dataset, transform or collate runs PowerShell script blocks, which only the enumerating thread can run: loading without worker threads.");
                workers = 0;
            }
            var prefetch = workers > 0 ? PrefetchFactor : null;
            Func<IReadOnlyList<object>, object>? collate = Collate is null ? null : samples => DataScripts.Invoke(Collate, samples.ToArray());
            var loader = dataset switch
            {
                Data.Dataset map => new DataLoader(map, BatchSize, Shuffle, Sampler, null, workers, collate, PinMemory, DropLast, prefetch, Seed, null, BadSamples),
                IterableDataset stream => new DataLoader(stream, BatchSize, workers, collate, PinMemory, DropLast, prefetch, Seed),
                _ => throw new ArgumentException($"-Dataset must be a dataset (from Get-Dataset or New-Dataset), got {dataset?.GetType().Name ?? "null"}"),
            };
            WriteObject(loader);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidDataLoaderOptions", ErrorCategory.InvalidArgument, Dataset));
        }
    }

    void ApplyTransform(object dataset)
    {
        var property = dataset.GetType().GetProperty("Transform");
        if (property is null || !property.CanWrite || !typeof(Transform).IsAssignableFrom(property.PropertyType))
            throw new ArgumentException($"{dataset.GetType().Name} does not take a transform; give it when creating the dataset");
        property.SetValue(dataset, Transform);
    }
}
