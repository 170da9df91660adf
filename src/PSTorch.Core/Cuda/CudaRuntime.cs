using System.Runtime.InteropServices;
using PSTorch.Cuda.Bindings;

namespace PSTorch;

/// <summary>
/// What this process can do with CUDA, probed once through the driver API (so devices are listed even when
/// libpstorch_cuda is missing): the devices, the driver version, and why CUDA is unavailable when it is.
/// CUDA_VISIBLE_DEVICES is the driver's own filter, so the devices here are the visible ones.
/// </summary>
internal static unsafe class CudaRuntime
{
    sealed record Probe(IReadOnlyList<CudaDeviceInfo> Devices, int DriverVersion, string? UnavailableReason);

    static readonly Lazy<Probe> State = new(ProbeDriver, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool IsAvailable => State.Value.UnavailableReason == null;

    /// <summary>Why CUDA cannot be used, or null when it can.</summary>
    public static string? UnavailableReason => State.Value.UnavailableReason;

    public static IReadOnlyList<CudaDeviceInfo> Devices => State.Value.Devices;

    /// <summary>The driver's CUDA version as 1000 * major + 10 * minor (12040 for 12.4), or 0 without a driver.</summary>
    public static int DriverVersion => State.Value.DriverVersion;

    /// <summary>The CUDA runtime libpstorch_cuda was built with (same encoding), or null when the library cannot be loaded.</summary>
    public static int? RuntimeVersion
    {
        get
        {
            if (NativeLibraries.TryLoad(PstorchCuda.Library, out _) == IntPtr.Zero) return null;
            int version;
            return PstorchCuda.GetRuntimeVersion(&version) == PstStatus.Success ? version : null;
        }
    }

    /// <summary>Why libpstorch_cuda cannot be loaded, or null when it loads.</summary>
    public static string? LibraryLoadError
    {
        get
        {
            NativeLibraries.TryLoad(PstorchCuda.Library, out var error);
            return error;
        }
    }

    /// <summary>Throws <see cref="CudaUnavailableException"/> unless <paramref name="device"/> is a visible CUDA device.</summary>
    public static void EnsureAvailable(Device device)
    {
        var state = State.Value;
        if (state.UnavailableReason != null) throw new CudaUnavailableException($"{state.UnavailableReason} (requested device '{device}')");
        int index = Math.Max(device.Index, 0);
        if (index >= state.Devices.Count)
            throw new CudaUnavailableException(
                $"device '{device}' does not exist: {state.Devices.Count} CUDA device{(state.Devices.Count == 1 ? " is" : "s are")} visible (CUDA error: invalid device ordinal)");
    }

    static Probe ProbeDriver()
    {
        if (NativeLibraries.TryLoad(CudaDriver.Library, out var loadError) == IntPtr.Zero)
            return new Probe([], 0, loadError);
        int result = CudaDriver.Init(0);
        int driverVersion = 0;
        CudaDriver.DriverGetVersion(&driverVersion);
        if (result == CudaDriver.ErrorNoDevice) return new Probe([], driverVersion, NoDeviceReason());
        if (result != CudaDriver.Success) return new Probe([], driverVersion, $"the NVIDIA driver failed to initialise: cuInit returned {ErrorName(result)}");
        int count = 0;
        result = CudaDriver.DeviceGetCount(&count);
        if (result != CudaDriver.Success) return new Probe([], driverVersion, $"cuDeviceGetCount returned {ErrorName(result)}");
        if (count == 0) return new Probe([], driverVersion, NoDeviceReason());
        var devices = new List<CudaDeviceInfo>(count);
        for (int i = 0; i < count; i++) devices.Add(Describe(i));
        return new Probe(devices, driverVersion, null);
    }

    static string NoDeviceReason()
    {
        var visible = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES");
        return visible == null ? "no CUDA device was found by the NVIDIA driver" : $"no CUDA device is visible (CUDA_VISIBLE_DEVICES='{visible}')";
    }

    static CudaDeviceInfo Describe(int ordinal)
    {
        int device, major = 0, minor = 0, multiprocessors = 0;
        ulong memory = 0;
        CudaDriver.DeviceGet(&device, ordinal);
        byte* name = stackalloc byte[256];
        name[0] = 0;
        CudaDriver.DeviceGetName(name, 256, device);
        CudaDriver.DeviceGetAttribute(&major, CudaDriver.AttributeComputeCapabilityMajor, device);
        CudaDriver.DeviceGetAttribute(&minor, CudaDriver.AttributeComputeCapabilityMinor, device);
        CudaDriver.DeviceGetAttribute(&multiprocessors, CudaDriver.AttributeMultiprocessorCount, device);
        CudaDriver.DeviceTotalMem(&memory, device);
        return new CudaDeviceInfo(ordinal, Marshal.PtrToStringUTF8((IntPtr)name) ?? "", (long)memory, major, minor, multiprocessors);
    }

    static string ErrorName(int result)
    {
        byte* name = null;
        return CudaDriver.GetErrorName(result, &name) == CudaDriver.Success && name != null
            ? $"{Marshal.PtrToStringUTF8((IntPtr)name)} ({result})"
            : result.ToString();
    }

    /// <summary>12040 -> "12.4".</summary>
    public static string FormatVersion(int version) => $"{version / 1000}.{version % 1000 / 10}";
}
