using System.Diagnostics;
using PSTorch.Data;
using PSTorch.NN;

namespace PSTorch.Training;

/// <summary>Runs a model over a loader in eval mode under no-grad and measures loss, accuracy, top-k and the confusion matrix.</summary>
public static class Evaluation
{
    /// <param name="model">The model; it runs in eval mode and is put back in its previous mode afterwards.</param>
    /// <param name="loader">The batches of (input, target) to evaluate.</param>
    /// <param name="loss">The loss to average (null: accuracies only).</param>
    /// <param name="topK">Top-k accuracies to measure (e.g. [5]).</param>
    /// <param name="device">Where to run (null: the model's device).</param>
    /// <param name="classNames">Class names for the confusion matrix (null: the loader's dataset's classes, if any).</param>
    /// <param name="cancellation">Stops at a batch boundary with OperationCanceledException.</param>
    public static EvaluationResult Run(Module model, DataLoader loader, Loss? loss = null, IReadOnlyList<int>? topK = null, Device? device = null,
        IReadOnlyList<string>? classNames = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loader);
        var start = Stopwatch.GetTimestamp();
        using var metrics = new MetricAccumulator(topK ?? [], collectConfusion: true);
        var target = device ?? ModelDevice(model);
        if (!Accumulate(model, loader, loader.BatchesAreNew, loss, metrics, target, cancellation))
            throw new OperationCanceledException(cancellation);
        var names = classNames ?? loader.Dataset?.Classes;
        var confusion = metrics.Confusion is { } counts ? new ConfusionMatrix(counts, names) : null;
        return new EvaluationResult(metrics.Samples, metrics.Loss, metrics.Accuracy,
            metrics.TopKAccuracies().ToDictionary(x => x.K, x => x.Accuracy), confusion, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>The device of the model's first parameter (CPU for a model without parameters).</summary>
    public static Device ModelDevice(Module model) => model.Parameters().FirstOrDefault()?.Device ?? Device.Cpu;

    /// <summary>Adds every batch to <paramref name="metrics"/> in eval mode and no-grad; false when cancelled at a batch boundary.</summary>
    internal static bool Accumulate(Module model, IEnumerable<Batch> batches, bool batchesAreNew, Loss? loss, MetricAccumulator metrics, Device device,
        CancellationToken cancellation)
    {
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var noGrad = Torch.NoGrad();
            if (cancellation.IsCancellationRequested) return false;
            using var prefetcher = new BatchPrefetcher(batches.GetEnumerator(), device, batchesAreNew);
            while (true)
            {
                if (cancellation.IsCancellationRequested) return false;
                if (!prefetcher.TryTake(out var taken)) return true;
                using var batch = taken;
                var output = model.Call(batch.Input);
                using (var value = loss is not null && batch.Target is { } target ? loss.Call(output, target) : null)
                    metrics.Add(value, output, batch.Target);
                if (!ReferenceEquals(output, batch.Input)) output.Dispose();
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
    }
}
