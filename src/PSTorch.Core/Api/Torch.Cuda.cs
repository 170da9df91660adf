using PSTorch.Memory;
using PSTorch.Backends.Cuda;
using PSTorch.Cuda.Bindings;

namespace PSTorch;

public static unsafe partial class Torch
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

        static volatile int currentDevice;

        /// <summary>
        /// torch.cuda.set_device(device): the device that "cuda" without an index, and the functions here called without
        /// one, mean from now on (process-wide; cuda:0 until set).
        /// </summary>
        public static void SetDevice(int device)
        {
            CudaBackend.EnsureUsable(new Device(DeviceType.Cuda, device));
            currentDevice = device;
        }

        /// <summary>torch.cuda.current_device().</summary>
        public static int CurrentDevice() => currentDevice;

        /// <summary>torch.cuda.get_device_name(device).</summary>
        public static string GetDeviceName(int? device = null)
        {
            int d = device ?? currentDevice;
            CudaRuntime.EnsureAvailable(new Device(DeviceType.Cuda, d));
            return CudaRuntime.Devices[d].Name;
        }

        /// <summary>The driver's CUDA version ("12.4"), or null without a driver.</summary>
        public static string? DriverVersion() => CudaRuntime.DriverVersion == 0 ? null : CudaRuntime.FormatVersion(CudaRuntime.DriverVersion);

        /// <summary>torch.cuda.memory_allocated(device): bytes held by live CUDA tensors of the device.</summary>
        public static long MemoryAllocated(int? device = null) => MemoryStats(device ?? currentDevice).AllocatedBytes;

        /// <summary>torch.cuda.max_memory_allocated(device): the peak of <see cref="MemoryAllocated"/> since the start or the last reset.</summary>
        public static long MaxMemoryAllocated(int? device = null) => MemoryStats(device ?? currentDevice).MaxAllocatedBytes;

        /// <summary>torch.cuda.memory_reserved(device): bytes the device's memory pool holds (live tensors and cached blocks).</summary>
        public static long MemoryReserved(int? device = null) => MemoryStats(device ?? currentDevice).ReservedBytes;

        /// <summary>torch.cuda.reset_peak_memory_stats(device).</summary>
        public static void ResetPeakMemoryStats(int? device = null)
        {
            int d = device ?? currentDevice;
            CudaBackend.EnsureUsable(new Device(DeviceType.Cuda, d));
            CudaBackend.Check(PstorchCuda.MemoryResetPeak(d));
        }

        /// <summary>
        /// torch.cuda.empty_cache(): gives the cached, unused blocks of every device's pool back to the driver, and the
        /// cached page-locked host blocks too.
        /// </summary>
        public static void EmptyCache()
        {
            PinnedAllocator.EmptyCache();
            for (int d = 0; d < CudaRuntime.Devices.Count; d++)
            {
                CudaBackend.EnsureUsable(new Device(DeviceType.Cuda, d));
                CudaBackend.Check(PstorchCuda.EmptyCache(d));
            }
        }

        /// <summary>torch.cuda.synchronize(device): waits for all work queued on the device (and raises what its kernels' deferred checks found).</summary>
        public static void Synchronize(int? device = null)
        {
            var d = new Device(DeviceType.Cuda, device ?? currentDevice);
            CudaBackend.MakeCurrent(d);
            CudaBackend.For(d).Synchronize();
        }

        /// <summary>
        /// Whether float32 matmuls on CUDA may round their inputs to TF32 on tensor cores
        /// (torch.backends.cuda.matmul.allow_tf32): off by default, so results match float32 on the CPU.
        /// </summary>
        public static bool AllowTF32
        {
            get
            {
                CudaBackend.EnsureUsable(new Device(DeviceType.Cuda, 0));
                int allow;
                CudaBackend.Check(PstorchCuda.GetAllowTf32(&allow));
                return allow != 0;
            }
            set
            {
                CudaBackend.EnsureUsable(new Device(DeviceType.Cuda, 0));
                CudaBackend.Check(PstorchCuda.SetAllowTf32(value ? 1 : 0));
            }
        }

        static PstMemoryStats MemoryStats(int device)
        {
            CudaBackend.EnsureUsable(new Device(DeviceType.Cuda, device));
            PstMemoryStats stats;
            CudaBackend.Check(PstorchCuda.MemoryStatsGet(device, &stats));
            return stats;
        }

        /// <summary>The CUDA runtime PSTorch's kernels were built with (torch.version.cuda), or null when the library is not loadable.</summary>
        public static string? RuntimeVersion() => CudaRuntime.RuntimeVersion is int v ? CudaRuntime.FormatVersion(v) : null;
    }
}
