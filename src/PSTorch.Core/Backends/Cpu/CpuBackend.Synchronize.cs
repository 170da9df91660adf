using System.Diagnostics;

namespace PSTorch.Backends.Cpu;

internal sealed partial class CpuBackend
{
    /// <summary>CPU kernels return when their work is done: nothing is ever pending.</summary>
    public void Synchronize()
    {
    }

    public double Time(Device device, Action action, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
