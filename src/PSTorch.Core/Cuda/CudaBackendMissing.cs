namespace PSTorch;

/// <summary>
/// The answer to "put this on cuda" until the CUDA tensor backend exists: without a usable device, the reason
/// CUDA is unavailable (<see cref="CudaUnavailableException"/>); with one, PyTorch's "not implemented" for
/// the device rather than a silent copy to the CPU.
/// </summary>
internal static class CudaBackendMissing
{
    public static void Throw(Device device) => Throw<object>(device);

    public static T Throw<T>(Device device)
    {
        CudaRuntime.EnsureAvailable(device);
        var info = CudaRuntime.Devices[Math.Max(device.Index, 0)];
        throw new NotSupportedException(
            $"CUDA tensors are not implemented for cuda in this build of PSTorch yet (device '{device}' is available: {info.Name}).");
    }
}
