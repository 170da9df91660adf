using System.Runtime.InteropServices;

namespace PSTorch.Cuda.Bindings;

/// <summary>
/// The few CUDA driver API calls (libcuda.so.1 / nvcuda.dll, installed with the NVIDIA driver) needed to list
/// devices before, and without, libpstorch_cuda: it tells "no driver" from "no device" from "our library is missing".
/// Hand-declared: the driver header is not ours and these signatures have been stable since CUDA 3.2 (the _v2 names).
/// </summary>
internal static unsafe partial class CudaDriver
{
    /// <summary>Resolved by <see cref="NativeLibraries"/> to libcuda.so.1 or nvcuda.dll.</summary>
    public const string Library = "cuda";

    public const int Success = 0;
    public const int ErrorNoDevice = 100;

    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    [LibraryImport(Library, EntryPoint = "cuInit")]
    public static partial int Init(uint flags);

    [LibraryImport(Library, EntryPoint = "cuDriverGetVersion")]
    public static partial int DriverGetVersion(int* version);

    [LibraryImport(Library, EntryPoint = "cuDeviceGetCount")]
    public static partial int DeviceGetCount(int* count);

    [LibraryImport(Library, EntryPoint = "cuDeviceGet")]
    public static partial int DeviceGet(int* device, int ordinal);

    [LibraryImport(Library, EntryPoint = "cuDeviceGetName")]
    public static partial int DeviceGetName(byte* name, int length, int device);

    [LibraryImport(Library, EntryPoint = "cuDeviceGetAttribute")]
    public static partial int DeviceGetAttribute(int* value, int attribute, int device);

    [LibraryImport(Library, EntryPoint = "cuDeviceTotalMem_v2")]
    public static partial int DeviceTotalMem(ulong* bytes, int device);

    [LibraryImport(Library, EntryPoint = "cuGetErrorName")]
    public static partial int GetErrorName(int error, byte** name);
}
