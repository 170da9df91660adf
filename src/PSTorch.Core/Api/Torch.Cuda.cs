namespace PSTorch;

public static partial class Torch
{
    /// <summary>torch.cuda: what CUDA devices this process can use.</summary>
    public static class Cuda
    {
        /// <summary>torch.cuda.is_available(): a driver and at least one visible device.</summary>
        public static bool IsAvailable() => CudaRuntime.IsAvailable;

        /// <summary>torch.cuda.device_count(): visible devices (0 without a driver).</summary>
        public static int DeviceCount() => CudaRuntime.Devices.Count;

        /// <summary>Why CUDA is unavailable ("libcuda.so.1 ... was not found ..."), or null when it is available.</summary>
        public static string? UnavailableReason() => CudaRuntime.UnavailableReason;

        /// <summary>torch.cuda.get_device_properties(i) for every visible device.</summary>
        public static IReadOnlyList<CudaDeviceInfo> Devices() => CudaRuntime.Devices;

        /// <summary>torch.cuda.get_device_name(device).</summary>
        public static string GetDeviceName(int device = 0)
        {
            CudaRuntime.EnsureAvailable(new Device(DeviceType.Cuda, device));
            return CudaRuntime.Devices[device].Name;
        }

        /// <summary>The driver's CUDA version ("12.4"), or null without a driver.</summary>
        public static string? DriverVersion() => CudaRuntime.DriverVersion == 0 ? null : CudaRuntime.FormatVersion(CudaRuntime.DriverVersion);

        /// <summary>The CUDA runtime PSTorch's kernels were built with (torch.version.cuda), or null when the library is not loadable.</summary>
        public static string? RuntimeVersion() => CudaRuntime.RuntimeVersion is int v ? CudaRuntime.FormatVersion(v) : null;
    }
}
