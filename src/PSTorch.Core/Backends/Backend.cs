using PSTorch.Backends.Cpu;

namespace PSTorch.Backends;

/// <summary>Finds the backend that owns a device.</summary>
internal static class Backend
{
    static readonly CpuBackend Cpu = new();

    public static IBackend For(Device device) => device.Type switch
    {
        DeviceType.Cpu => Cpu,
        _ => CudaBackendMissing.Throw<IBackend>(device),
    };

    public static IBackend For(Tensor t) => For(t.Device);

    /// <summary>PyTorch's error for operands on different devices.</summary>
    public static void CheckSameDevice(params Tensor[] tensors)
    {
        for (int i = 1; i < tensors.Length; i++)
            if (tensors[i].Device != tensors[0].Device) throw MixedDevices(tensors[0].Device, tensors[i].Device);
    }

    internal static InvalidOperationException MixedDevices(Device first, Device other) =>
        new($"Expected all tensors to be on the same device, but found at least two devices, {first} and {other}!");
}
