using PSTorch.Backends;
using PSTorch.Cuda.Bindings;
using PSTorch.Tests.PowerShell;

namespace PSTorch.Tests.Cuda;

/// <summary>Devices, and what happens when CUDA is asked for on a machine without it (CI has no GPU).</summary>
public sealed class CudaAvailabilityTests
{
    static void RequireNoCuda()
    {
        if (CudaRuntime.IsAvailable) Assert.Skip("a CUDA device is present; the no-CUDA path is tested on machines without one.");
    }

    [Theory]
    [InlineData("cpu", DeviceType.Cpu, -1, "cpu")]
    [InlineData(" CUDA ", DeviceType.Cuda, 0, "cuda:0")]
    [InlineData("cuda:1", DeviceType.Cuda, 1, "cuda:1")]
    public void DevicesParse(string text, DeviceType type, int index, string printed)
    {
        var device = Device.Parse(text);
        Assert.Equal(new Device(type, index), device);
        Assert.Equal(printed, device.ToString());
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    public void BadDeviceStringsAreRefused(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => Device.Parse(text));
        Assert.Contains($"Invalid device string: '{text}'", e.Message);
    }

    [Fact]
    public void MixedDevicesGivePyTorchsMessage()
    {
        var e = Backend.MixedDevices(Device.Parse("cuda:0"), Device.Cpu);
        Assert.Equal("Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!", e.Message);
    }

    [Fact]
    public void WithoutADriverCudaIsUnavailableWithAReason()
    {
        RequireNoCuda();
        Assert.False(Torch.Cuda.IsAvailable());
        Assert.Equal(0, Torch.Cuda.DeviceCount());
        Assert.Empty(Torch.Cuda.Devices());
        var reason = Torch.Cuda.UnavailableReason();
        Assert.NotNull(reason);
        // This machine either lacks the driver library or has a driver but no device: the reason says which.
        Assert.True(reason!.Contains("libcuda.so.1") || reason.Contains("no CUDA device"), reason);
    }

    [Fact]
    public void CreatingACudaTensorWithoutCudaExplains()
    {
        RequireNoCuda();
        var e = Assert.Throws<CudaUnavailableException>(() => Torch.Zeros([2, 3], device: Device.Parse("cuda")));
        Assert.StartsWith("CUDA unavailable: ", e.Message);
        Assert.Contains(Torch.Cuda.UnavailableReason()!, e.Message);
        Assert.Contains("requested device 'cuda:0'", e.Message);
        Assert.IsAssignableFrom<NotSupportedException>(e);
    }

    [Fact]
    public void DeviceNameOfAMissingDeviceExplains()
    {
        RequireNoCuda();
        var e = Assert.Throws<CudaUnavailableException>(() => Torch.Cuda.GetDeviceName(0));
        Assert.StartsWith("CUDA unavailable: ", e.Message);
    }

    [Fact]
    public void TheCpuIsAlwaysListed()
    {
        var cpu = DeviceDescription.All()[0];
        Assert.Equal(Device.Cpu, cpu.Device);
        Assert.True(cpu.TotalMemory > 0);
        Assert.Equal(Torch.Cuda.DeviceCount() + 1, DeviceDescription.All().Count);
    }

    [Fact]
    public void LibraryLocationCanBeGivenExplicitly()
    {
        var previous = Environment.GetEnvironmentVariable(NativeLibraries.LibraryVariable);
        try
        {
            Environment.SetEnvironmentVariable(NativeLibraries.LibraryVariable, "/opt/somewhere/libpstorch_cuda.so");
            var candidates = NativeLibraries.CandidatesFor(PstorchCuda.Library).ToList();
            Assert.Equal("/opt/somewhere/libpstorch_cuda.so", candidates[0]);
            Assert.Contains(candidates, c => c.EndsWith(Path.Combine("runtimes", "linux-x64", "native", "libpstorch_cuda.so")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeLibraries.LibraryVariable, previous);
        }
    }

    /// <summary>Where nvcc built the library (CI always does), it loads without a driver and fails cleanly, with a message.</summary>
    [Fact]
    public unsafe void BuiltLibraryReportsMissingDriverAsAStatus()
    {
        RequireNoCuda();
        if (NativeLibraries.TryLoad(PstorchCuda.Library, out var error) == IntPtr.Zero)
            Assert.Skip($"libpstorch_cuda was not built here (nvcc missing): {error}");
        int abi;
        Assert.Equal(PstStatus.Success, PstorchCuda.GetAbiVersion(&abi));
        Assert.Equal(PstorchCuda.AbiVersion, abi);
        int count = -1;
        var status = PstorchCuda.GetDeviceCount(&count);
        if (status == PstStatus.Success) Assert.Equal(0, count);
        else
        {
            var message = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((IntPtr)PstorchCuda.GetLastErrorMessage())!;
            Assert.Contains("cudaGetDeviceCount", message);
            Assert.Contains("device.cu:", message);
        }
        Assert.Equal("invalid argument", System.Runtime.InteropServices.Marshal.PtrToStringUTF8((IntPtr)PstorchCuda.GetErrorString(PstStatus.ErrorInvalidArgument)));
    }

    [Fact]
    public void GetTorchDeviceListsTheCpuAndExplainsCuda()
    {
        using var ps = new ModuleRunspace();
        var devices = ps.Invoke("Get-TorchDevice | ForEach-Object { $_.Device.ToString() }").Select(d => d.ToString()).ToList();
        Assert.Equal("cpu", devices[0]);
        Assert.Equal(Torch.Cuda.DeviceCount() + 1, devices.Count);
        var view = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryPaths.Root, "src", "PSTorch", "PSTorch.format.ps1xml"))
            .Descendants("View").Single(v => v.Element("Name")?.Value == "PSTorch.DeviceDescription");
        Assert.Equal(["Device", "Name", "Memory(GiB)", "Capability", "Driver", "Runtime"], view.Descendants("Label").Select(h => h.Value));
        if (!CudaRuntime.IsAvailable)
        {
            var result = ps.InvokeWithErrors("Get-TorchDevice cuda");
            var error = Assert.Single(result.Errors);
            Assert.Equal("DeviceUnavailable,PSTorch.Commands.GetTorchDeviceCommand", error.FullyQualifiedErrorId);
            Assert.StartsWith("CUDA unavailable: ", error.Exception.Message);
        }
    }
}
