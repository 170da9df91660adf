using PSTorch.Backends.Cpu;
using PSTorch.Backends.Cuda;

namespace PSTorch.Backends;

/// <summary>Finds the backend that owns a device.</summary>
internal static class Backend
{
    static readonly CpuBackend Cpu = new();

    public static IBackend For(Device device) => device.Type switch
    {
        DeviceType.Cpu => Cpu,
        _ => CudaBackend.For(device),
    };

    public static IBackend For(Tensor t) => For(t.Device);

    /// <summary>PyTorch's error for operands on different devices.</summary>
    public static void CheckSameDevice(params Tensor[] tensors)
    {
        for (int i = 1; i < tensors.Length; i++)
            if (tensors[i].Device != tensors[0].Device) throw MixedDevices(tensors[0].Device, tensors[i].Device);
    }

    /// <summary>
    /// PyTorch lets a zero-dimensional CPU tensor (a wrapped number, or torch.tensor(2.)) take part in an op with
    /// tensors of another device: such an operand is moved to the other's device. Any other mismatch is left for
    /// <see cref="CheckSameDevice"/> to report.
    /// </summary>
    public static (Tensor, Tensor) Colocate(Tensor a, Tensor b)
    {
        if (a.Device == b.Device) return (a, b);
        if (IsCpuScalar(b)) return (a, b.ScalarTo(a.Device));
        if (IsCpuScalar(a)) return (a.ScalarTo(b.Device), b);
        return (a, b);
    }

    static bool IsCpuScalar(Tensor t) => t.NDim == 0 && t.Device.Type == DeviceType.Cpu;

    internal static InvalidOperationException MixedDevices(Device first, Device other) =>
        new($"Expected all tensors to be on the same device, but found at least two devices, {first} and {other}!");
}
