using PSTorch.Backends.Cpu;

namespace PSTorch;

public static partial class Torch
{
    /// <summary>torch.set_num_threads: the number of threads CPU ops use (default: all logical processors).</summary>
    public static void SetNumThreads(int threads) => CpuThreads.Count = threads;

    /// <summary>torch.get_num_threads.</summary>
    public static int GetNumThreads() => CpuThreads.Count;
}
