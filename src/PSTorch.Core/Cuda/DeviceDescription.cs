using System.Runtime.InteropServices;

namespace PSTorch;

/// <summary>One device tensors can live on, as Get-TorchDevice lists it: the CPU, or a CUDA device.</summary>
public sealed record DeviceDescription(
    Device Device,
    string Name,
    long TotalMemory,
    string? ComputeCapability,
    int? MultiprocessorCount,
    string? DriverVersion,
    string? RuntimeVersion)
{
    /// <summary>The CPU, then every visible CUDA device.</summary>
    public static IReadOnlyList<DeviceDescription> All()
    {
        var list = new List<DeviceDescription> { Cpu() };
        string? driver = Torch.Cuda.DriverVersion(), runtime = CudaRuntime.Devices.Count > 0 ? Torch.Cuda.RuntimeVersion() : null;
        foreach (var d in CudaRuntime.Devices)
            list.Add(new DeviceDescription(d.Device, d.Name, d.TotalMemory, d.ComputeCapability, d.MultiprocessorCount, driver, runtime));
        return list;
    }

    static DeviceDescription Cpu() => new(
        PSTorch.Device.Cpu,
        $"{RuntimeInformation.ProcessArchitecture} CPU ({Environment.ProcessorCount} logical processors)",
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        null, null, null, null);

    /// <summary>Memory in GiB, for the table view.</summary>
    public double TotalMemoryGiB => Math.Round(TotalMemory / (1024.0 * 1024 * 1024), 1);
}
