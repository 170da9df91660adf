namespace PSTorch;

/// <summary>One CUDA device as the driver reports it (torch.cuda.get_device_properties).</summary>
public sealed record CudaDeviceInfo(
    int Index,
    string Name,
    long TotalMemory,
    int ComputeCapabilityMajor,
    int ComputeCapabilityMinor,
    int MultiprocessorCount)
{
    public Device Device => new(DeviceType.Cuda, Index);

    /// <summary>"8.0", "9.0": the form nvcc's sm_XY and PyTorch's capability tuples stand for.</summary>
    public string ComputeCapability => $"{ComputeCapabilityMajor}.{ComputeCapabilityMinor}";
}
