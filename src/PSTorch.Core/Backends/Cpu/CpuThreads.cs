using System.Runtime.ExceptionServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// How many threads the CPU kernels may use for one op (torch.get_num_threads). The elementwise iterator,
/// the reductions and the GEMM split all read this one setting. Inside a <see cref="For"/> body it reads 1, as
/// at::get_num_threads does inside a parallel region, so a kernel called per work item does not split again.
/// </summary>
internal static class CpuThreads
{
    static int count = Environment.ProcessorCount;
    static ParallelOptions options = new() { MaxDegreeOfParallelism = count };
    [ThreadStatic] static int threadLimit;

    /// <summary>
    /// A cap on <see cref="Count"/> for ops started from the calling thread (0: none). DataLoader workers and
    /// <see cref="For"/> bodies use 1, as PyTorch's workers and parallel regions do: the workers already keep the
    /// cores busy, and kernels splitting their work across the same cores would only oversubscribe them.
    /// </summary>
    public static int ThreadLimit
    {
        get => threadLimit;
        set => threadLimit = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Expected a non-negative thread limit");
    }

    public static int Count
    {
        get => threadLimit > 0 ? Math.Min(threadLimit, Volatile.Read(ref count)) : Volatile.Read(ref count);
        set
        {
            if (value <= 0) throw new ArgumentOutOfRangeException(nameof(value), value, "Expected positive number of threads");
            Volatile.Write(ref options, new ParallelOptions { MaxDegreeOfParallelism = value });
            Volatile.Write(ref count, value);
        }
    }

    /// <summary>Options that cap a Parallel.For at <see cref="Count"/> concurrent workers.</summary>
    static ParallelOptions ParallelOptions => Volatile.Read(ref options);

    /// <summary>
    /// Runs body(worker) for every worker in [0, <paramref name="workers"/>) on up to <see cref="Count"/> threads:
    /// on the <see cref="ThreadTeam"/> when it is free and has a thread per worker, else on the thread pool.
    /// The kernels a body calls run on its thread: nested splits would put more threads than cores to work, each
    /// waiting at the others' barriers, which under load costs more than the split gains.
    /// </summary>
    public static void For(int workers, Action<int> body)
    {
        if (workers <= 1)
        {
            body(0);
            return;
        }
        void Unsplit(int worker)
        {
            int outer = threadLimit;
            threadLimit = 1;
            try
            {
                body(worker);
            }
            finally
            {
                threadLimit = outer;
            }
        }
        if (workers <= Count && ThreadTeam.TryRun(Unsplit, workers)) return;
        try
        {
            Parallel.For(0, workers, ParallelOptions, Unsplit);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The same exception as a run on the team, whichever way the work was split.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }
}
