using PSTorch.Data;

namespace PSTorch.Training;

/// <summary>
/// A loader's batches on the training device, one batch ahead: when a batch is taken for a step, the next one is
/// loaded and, on CUDA, its host-to-device copies are queued on the copy stream before the step's kernels, so they
/// overlap the step's compute (pinned batches, DataLoader pin_memory, make those copies truly asynchronous). The taken
/// batch's kernels wait for its copies on the device, not on the host. <see cref="Start"/> loads the first batch, so
/// a caller can act between the epoch's first draws and the rest (resuming sets the generators there).
/// </summary>
internal sealed class BatchPrefetcher(IEnumerator<Batch> loaded, Device device, bool ownsLoaded) : IDisposable
{
    BatchTensors? next;
    bool started, finished;

    /// <summary>Loads the first batch; false when there is none.</summary>
    public bool Start()
    {
        if (!started)
        {
            started = true;
            next = Load();
        }
        return next is not null;
    }

    /// <summary>The next batch, ready for the kernels queued after this call; false at the end. The caller disposes it.</summary>
    public bool TryTake(out BatchTensors batch)
    {
        Start();
        if (next is null)
        {
            batch = null!;
            return false;
        }
        batch = next;
        next = null;
        try
        {
            next = Load();
            batch.OrderBeforeKernels();
        }
        catch
        {
            batch.Dispose();
            throw;
        }
        return true;
    }

    BatchTensors? Load()
    {
        if (finished || !loaded.MoveNext())
        {
            finished = true;
            return null;
        }
        return BatchTensors.From(loaded.Current, device, ownsLoaded);
    }

    public void Dispose()
    {
        next?.Dispose();
        next = null;
        loaded.Dispose();
    }
}
