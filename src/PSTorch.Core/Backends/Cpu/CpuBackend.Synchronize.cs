namespace PSTorch.Backends.Cpu;

internal sealed partial class CpuBackend
{
    /// <summary>CPU kernels return when their work is done: nothing is ever pending.</summary>
    public void Synchronize()
    {
    }
}
