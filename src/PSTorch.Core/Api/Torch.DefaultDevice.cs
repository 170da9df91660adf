using PSTorch.Backends;

namespace PSTorch;

public static partial class Torch
{
    /// <summary>A reference to swap whole, so a factory on another thread reads a complete device, never half of one.</summary>
    sealed record DefaultDeviceSetting(Device Device);

    static volatile DefaultDeviceSetting defaultDevice = new(Device.Cpu);

    /// <summary>
    /// torch.set_default_device: the device that factory functions (Zeros, Ones, Full, Empty, Rand, Randn, Randint,
    /// Randperm, Arange, Linspace, Eye, NewTensor) create tensors on when they are given none. Process-wide; a CUDA
    /// device that cannot be used is refused here, with the reason, rather than at the next factory call.
    /// </summary>
    public static void SetDefaultDevice(Device device)
    {
        if (device.Type != DeviceType.Cpu) Backend.For(device);
        defaultDevice = new(device);
    }

    /// <summary>SetDefaultDevice("cuda:1"), SetDefaultDevice("cpu").</summary>
    public static void SetDefaultDevice(string device) => SetDefaultDevice(Device.Parse(device));

    /// <summary>torch.get_default_device.</summary>
    public static Device GetDefaultDevice() => defaultDevice.Device;

    /// <summary>The device a factory function creates on: the one it was given, else the default device.</summary>
    internal static Device OrDefault(Device? device) => device ?? defaultDevice.Device;
}
