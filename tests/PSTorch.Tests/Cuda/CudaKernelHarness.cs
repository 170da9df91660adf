using System.Runtime.InteropServices;
using PSTorch.Cuda.Bindings;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// Drives libpstorch_cuda directly, below the CUDA tensor backend: device buffers filled from CPU
/// tensors, descriptors with any strides over them, and the results read back as CPU tensors to compare
/// with the CPU backend. Tests using it carry Category=Cuda and are skipped where no device is present.
/// </summary>
internal sealed unsafe class DeviceBuffer : IDisposable
{
    public void* Pointer { get; private set; }
    public long Bytes { get; }

    DeviceBuffer(long bytes)
    {
        Bytes = bytes;
        void* p;
        Check(PstorchCuda.MallocAsync(&p, (ulong)bytes, null));
        Pointer = p;
    }

    /// <summary>A device copy of a CPU tensor's elements in row-major order.</summary>
    public static DeviceBuffer Upload(Tensor cpu)
    {
        var contiguous = cpu.Contiguous();
        var buffer = new DeviceBuffer(Math.Max(1, contiguous.Numel() * contiguous.DType.ElementSize()));
        Check(PstorchCuda.MemcpyAsync(buffer.Pointer, contiguous.DataPointer, (ulong)(contiguous.Numel() * contiguous.DType.ElementSize()),
            PstMemcpyKind.HostToDevice, null));
        Check(PstorchCuda.StreamSynchronize(null));
        return buffer;
    }

    public static DeviceBuffer Allocate(long elements, DType dtype) => new(Math.Max(1, elements * dtype.ElementSize()));

    /// <summary>The buffer's first elements as a CPU tensor of this shape.</summary>
    public Tensor Download(long[] shape, DType dtype)
    {
        var t = Tensor.Empty(shape, dtype, Device.Cpu);
        Check(PstorchCuda.StreamSynchronize(null));
        Check(PstorchCuda.MemcpyAsync(t.DataPointer, Pointer, (ulong)(t.Numel() * dtype.ElementSize()), PstMemcpyKind.DeviceToHost, null));
        Check(PstorchCuda.StreamSynchronize(null));
        return t;
    }

    /// <summary>A view of the buffer: sizes and strides in elements, from element <paramref name="offset"/>.</summary>
    public PstTensor View(DType dtype, long[] sizes, long[]? strides = null, long offset = 0)
    {
        strides ??= Contiguous(sizes);
        var d = new PstTensor { Data = (byte*)Pointer + offset * dtype.ElementSize(), Dtype = (PstDtype)(int)dtype, Ndim = sizes.Length };
        for (int i = 0; i < sizes.Length; i++) { d.Sizes[i] = sizes[i]; d.Strides[i] = strides[i]; }
        return d;
    }

    public static long[] Contiguous(long[] sizes)
    {
        var strides = new long[sizes.Length];
        long s = 1;
        for (int i = sizes.Length - 1; i >= 0; i--) { strides[i] = s; s *= sizes[i]; }
        return strides;
    }

    public void Dispose()
    {
        if (Pointer == null) return;
        Check(PstorchCuda.FreeAsync(Pointer, (ulong)Bytes, null));
        Pointer = null;
    }

    public static void Check(PstStatus status)
    {
        if (status == PstStatus.Success) return;
        throw new InvalidOperationException($"{status}: {Marshal.PtrToStringUTF8((IntPtr)PstorchCuda.GetLastErrorMessage())}");
    }

    /// <summary>Skips the calling test unless a CUDA device and the built library are both present.</summary>
    public static void RequireDevice()
    {
        if (!CudaRuntime.IsAvailable) Assert.Skip($"CUDA unavailable: {CudaRuntime.UnavailableReason}");
        if (NativeLibraries.TryLoad(PstorchCuda.Library, out var error) == IntPtr.Zero) Assert.Skip($"libpstorch_cuda is not built: {error}");
        Check(PstorchCuda.SetDevice(0));
    }
}
