namespace PSTorch.Backends.Cpu;

/// <summary>
/// How many threads the CPU kernels may use for one op (torch.get_num_threads). The elementwise iterator,
/// the reductions and the GEMM split all read this one setting.
/// </summary>
internal static class CpuThreads
{
    static int count = Environment.ProcessorCount;
    static ParallelOptions options = new() { MaxDegreeOfParallelism = count };

    public static int Count
    {
        get => Volatile.Read(ref count);
        set
        {
            if (value <= 0) throw new ArgumentOutOfRangeException(nameof(value), value, "Expected positive number of threads");
            Volatile.Write(ref options, new ParallelOptions { MaxDegreeOfParallelism = value });
            Volatile.Write(ref count, value);
        }
    }

    /// <summary>Options that cap a Parallel.For at <see cref="Count"/> concurrent workers.</summary>
    public static ParallelOptions ParallelOptions => Volatile.Read(ref options);
}
