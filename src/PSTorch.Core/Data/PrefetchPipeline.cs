using System.Runtime.ExceptionServices;

namespace PSTorch.Data;

/// <summary>
/// Worker threads building batches ahead of the consumer. Jobs are claimed in order under a lock, built in parallel,
/// and handed out strictly in claim order; at most <c>bound</c> batches exist at once (being built or waiting).
/// A job that throws is reported to the consumer when its turn comes; workers that die never leave it waiting.
/// </summary>
internal sealed class PrefetchPipeline<TJob> : IDisposable
{
    readonly object gate = new();
    readonly IEnumerator<TJob> jobs;
    readonly Func<int, TJob, Batch?> build;
    readonly int bound;
    readonly Thread[] threads;
    readonly Dictionary<int, (Batch? batch, ExceptionDispatchInfo? error, bool counted)> finished = new();
    int claimed, taken, held, alive;
    bool jobsExhausted, cancelled;

    public PrefetchPipeline(IEnumerator<TJob> jobs, Func<int, TJob, Batch?> build, int workers, int bound)
    {
        this.jobs = jobs;
        this.build = build;
        this.bound = bound;
        alive = workers;
        threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            threads[w] = new Thread(Work) { IsBackground = true, Name = $"PSTorch DataLoader worker {w}" };
            threads[w].Start();
        }
    }

    /// <summary>The most batches that existed at once (being built or waiting for the consumer).</summary>
    public int PeakHeld { get; private set; }

    void Work()
    {
        Backends.Cpu.CpuThreads.ThreadLimit = 1;
        try
        {
            while (true)
            {
                int number;
                TJob job;
                lock (gate)
                {
                    while (!cancelled && !jobsExhausted && held >= bound) Monitor.Wait(gate);
                    if (cancelled || jobsExhausted) return;
                    try
                    {
                        if (!jobs.MoveNext())
                        {
                            jobsExhausted = true;
                            Monitor.PulseAll(gate);
                            return;
                        }
                        job = jobs.Current;
                    }
                    catch (Exception e)
                    {
                        jobsExhausted = true;
                        finished[claimed++] = (null, ExceptionDispatchInfo.Capture(e), false);
                        Monitor.PulseAll(gate);
                        return;
                    }
                    number = claimed++;
                    held++;
                    PeakHeld = Math.Max(PeakHeld, held);
                }
                Batch? batch = null;
                ExceptionDispatchInfo? error = null;
                try { batch = build(number, job); }
                catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
                lock (gate)
                {
                    finished[number] = (batch, error, true);
                    Monitor.PulseAll(gate);
                }
            }
        }
        finally
        {
            lock (gate)
            {
                alive--;
                Monitor.PulseAll(gate);
            }
        }
    }

    /// <summary>The next batch in order; false at the end of the epoch. A null batch means every sample was skipped.</summary>
    public bool TryTake(out Batch? batch)
    {
        lock (gate)
        {
            while (true)
            {
                if (finished.Remove(taken, out var result))
                {
                    taken++;
                    if (result.counted) held--;
                    Monitor.PulseAll(gate);
                    result.error?.Throw();
                    batch = result.batch;
                    return true;
                }
                if (jobsExhausted && taken >= claimed)
                {
                    batch = null;
                    return false;
                }
                if (alive == 0)
                    throw new InvalidOperationException($"DataLoader worker threads exited unexpectedly before producing batch {taken}");
                Monitor.Wait(gate);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            cancelled = true;
            Monitor.PulseAll(gate);
        }
        foreach (var t in threads) t.Join();
        jobs.Dispose();
    }
}
