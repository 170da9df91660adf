using System.Runtime.InteropServices;
using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>
/// The kernels of libpstorch_cuda behind <see cref="IBackend"/>. One instance serves every CUDA device: each call
/// makes the device of its output current first. All work goes to CUDA's legacy default stream, so kernels, copies
/// and stream-ordered frees run in the order they were issued. Operands must be tensors of the output's device;
/// an op without a CUDA kernel throws "not implemented for cuda" rather than computing on the CPU.
/// </summary>
internal sealed unsafe partial class CudaBackend : IBackend
{
    static readonly CudaBackend Instance = new();
    static readonly Lazy<string?> LibraryProblem = new(ProbeLibrary, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The legacy default stream: everything PSTorch queues is ordered on it.</summary>
    internal static readonly void* Stream = null;

    /// <summary>The device each thread last made current, plus one (0: not known yet).</summary>
    [ThreadStatic] static int currentDevicePlusOne;

    CudaBackend() { }

    /// <summary>The backend for a CUDA device, or <see cref="CudaUnavailableException"/> saying why it cannot be used.</summary>
    public static CudaBackend For(Device device)
    {
        EnsureUsable(device);
        return Instance;
    }

    /// <summary>Throws <see cref="CudaUnavailableException"/> unless the driver sees the device and libpstorch_cuda loads with this ABI.</summary>
    public static void EnsureUsable(Device device)
    {
        CudaRuntime.EnsureAvailable(device);
        if (LibraryProblem.Value is { } problem) throw new CudaUnavailableException($"{problem} (requested device '{device}')");
    }

    static string? ProbeLibrary()
    {
        if (NativeLibraries.TryLoad(PstorchCuda.Library, out var error) == IntPtr.Zero) return error;
        int version;
        if (PstorchCuda.GetAbiVersion(&version) != PstStatus.Success) return "libpstorch_cuda did not report its ABI version";
        return version == PstorchCuda.AbiVersion
            ? null
            : $"libpstorch_cuda was built for ABI version {version} but this PSTorch needs version {PstorchCuda.AbiVersion}; rebuild native/cuda";
    }

    /// <summary>cuda -> the current device (Torch.Cuda.SetDevice), cuda:N -> N.</summary>
    internal static int Ordinal(Device device) => device.Index >= 0 ? device.Index : Torch.Cuda.CurrentDevice();

    /// <summary>Makes the device current on this thread (pst_set_device is only called when it changes).</summary>
    internal static void MakeCurrent(Device device)
    {
        int ordinal = Ordinal(device);
        if (currentDevicePlusOne == ordinal + 1) return;
        Check(PstorchCuda.SetDevice(ordinal));
        currentDevicePlusOne = ordinal + 1;
    }

    /// <summary>As <see cref="MakeCurrent"/> without throwing, for frees (finalizers must not throw).</summary>
    internal static bool TryMakeCurrent(Device device)
    {
        int ordinal = Ordinal(device);
        if (currentDevicePlusOne == ordinal + 1) return true;
        if (PstorchCuda.SetDevice(ordinal) != PstStatus.Success) return false;
        currentDevicePlusOne = ordinal + 1;
        return true;
    }

    /// <summary>Throws the exception a failed native call stands for, with the library's message for this thread.</summary>
    internal static void Check(PstStatus status)
    {
        if (status != PstStatus.Success) throw Failure(status);
    }

    internal static Exception Failure(PstStatus status)
    {
        string message = Marshal.PtrToStringUTF8((IntPtr)PstorchCuda.GetLastErrorMessage()) is { Length: > 0 } m
            ? m
            : Marshal.PtrToStringUTF8((IntPtr)PstorchCuda.GetErrorString(status)) ?? status.ToString();
        return status switch
        {
            PstStatus.ErrorOutOfMemory => new CudaOutOfMemoryException(message),
            PstStatus.ErrorNotSupported => new NotSupportedException(message),
            PstStatus.ErrorInvalidArgument => new ArgumentException(message),
            _ => new InvalidOperationException($"CUDA error: {message}"),
        };
    }

    /// <summary>PyTorch's mixed-device error unless every operand (null: absent) is on <paramref name="device"/>.</summary>
    static void SameDevice(Device device, params Tensor?[] operands)
    {
        foreach (var t in operands) SameDevice(device, t);
    }

    /// <summary>One operand's check, without the params array (descriptors are built for every operand of every op).</summary>
    static void SameDevice(Device device, Tensor? operand)
    {
        if (operand != null && operand.Device != device) throw Backend.MixedDevices(device, operand.Device);
    }

    /// <summary>The descriptor of a tensor of <paramref name="device"/>; any other tensor is PyTorch's mixed-device error.</summary>
    internal static PstTensor Describe(Tensor t, Device device)
    {
        SameDevice(device, t);
        return CudaDescriptor.Build(t.UntypedStorage.Pointer, t.StorageOffset, t.DType, t.ShapeRef, t.StridesRef);
    }

    /// <summary>Makes dst's device current and returns it (the device every operand must be on).</summary>
    static Device Enter(Tensor dst)
    {
        MakeCurrent(dst.Device);
        return dst.Device;
    }

    /// <summary>Waits for the current device (made current by the caller) and raises what its kernels' deferred checks found.</summary>
    public void Synchronize()
    {
        Check(PstorchCuda.DeviceSynchronize());
        int device;
        Check(PstorchCuda.GetDevice(&device));
        DeferredDeviceChecks.Verify(new Device(DeviceType.Cuda, device));
    }
}
