using PSTorch.Autograd;
using PSTorch.Backends;
using PSTorch.Backends.Cuda;

namespace PSTorch;

/// <summary>Moving tensors between the host and CUDA devices, and reading a device tensor's elements on the host.</summary>
public partial class Tensor
{
    /// <summary>The device a tensor lives on when this one is asked for: "cuda" is the current CUDA device (cuda:0 unless set).</summary>
    internal static Device Canonical(Device device) =>
        device.Type == DeviceType.Cuda && device.Index < 0 ? new Device(DeviceType.Cuda, Torch.Cuda.CurrentDevice()) : device;

    /// <summary>A copy on another device; the gradient goes back to this tensor's device (ToCopyBackward0).</summary>
    Tensor CopyToDevice(Device device)
    {
        Backend.For(device);
        Tensor source;
        using (GradMode.Set(false)) source = Contiguous();
        var y = Empty(shape, DType, device);
        CudaMemory.CopyBetweenDevices(y, source);
        if (!ReferenceEquals(source, this)) source.Dispose();
        if (Graph.ShouldRecord(this))
        {
            var back = Device;
            Graph.Record(y, "ToCopyBackward0", [this], [], (g, _, _) => [g.To(back)]);
        }
        return y;
    }

    /// <summary>Whether the tensor's memory is page-locked host memory (torch.Tensor.is_pinned).</summary>
    public bool IsPinned => storage.IsPinned;

    /// <summary>
    /// torch.Tensor.pin_memory: a copy of this CPU tensor in page-locked host memory, which CUDA copies to and from
    /// faster and without blocking the host (the tensor itself when it is pinned already). Needs a usable CUDA
    /// device; the gradient passes through unchanged (PinMemoryBackward0).
    /// </summary>
    public Tensor PinMemory()
    {
        if (IsPinned) return this;
        if (Device.Type != DeviceType.Cpu)
            throw new InvalidOperationException($"cannot pin '{DType.Name()}' tensor on {Device}: only dense CPU tensors can be pinned");
        var pinnedCopy = new Tensor(Storage.Pinned(Numel() * DType.ElementSize()), shape.ToArray(), Shapes.ContiguousStrides(shape), 0, DType,
            new VersionCounter(), shareStorage: false);
        pinnedCopy.CopyFrom(this);
        if (Graph.ShouldRecord(this)) Graph.Record(pinnedCopy, "PinMemoryBackward0", [this], [], (g, _, _) => [g]);
        return pinnedCopy;
    }

    /// <summary>This tensor's elements where the CPU can read them: itself on the CPU, else a host copy (no autograd), as PyTorch syncs for .item().</summary>
    internal Tensor OnHost()
    {
        if (Device.Type == DeviceType.Cpu) return this;
        using (GradMode.Set(false)) return CopyToDevice(PSTorch.Device.Cpu);
    }

    /// <summary>A zero-dimensional CPU tensor on another device for an op there; a wrapped number stays a wrapped number (for type promotion).</summary>
    internal Tensor ScalarTo(Device device)
    {
        if (!IsWrappedNumber) return To(device);
        var t = Empty([], DType, device);
        var w = new Tensor(t.storage, [], [], 0, DType, t.VersionCounter, shareStorage: false) { IsWrappedNumber = true };
        // wrapped numbers are float64, int64 or bool: a fill kernel (queued, no wait) is exact for all but integers
        // beyond 2^53, which are copied
        const long Exact = 1L << 53;
        var value = Item();
        if (value is long l && (l > Exact || l < -Exact)) CudaMemory.CopyBetweenDevices(w, this);
        else Backend.For(w).Fill(w, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
        return w;
    }

    /// <summary>copy_ from a tensor of another device: src is moved to this device, then broadcast and converted there.</summary>
    void CopyAcrossDevices(Tensor src)
    {
        Tensor moved;
        using (GradMode.Set(false)) moved = src.CopyToDevice(Device);
        using (var view = moved.BroadcastView(shape)) Backend.For(this).Copy(this, view);
        moved.Dispose();
    }
}
