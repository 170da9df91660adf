using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch;

/// <summary>Copies, dtype/device conversion, filling, and reading values out.</summary>
public partial class Tensor
{
    /// <summary>A tensor of another dtype (this tensor itself when the dtype already matches, as in PyTorch).</summary>
    public Tensor To(DType dtype, bool copy = false)
    {
        if (dtype == DType && !copy) return this;
        var y = Empty(shape, dtype, Device);
        Backend.For(this).Copy(y, this);
        if (Graph.ShouldRecord(this) && dtype.IsFloatingPoint())
        {
            var original = DType;
            Graph.Record(y, "ToCopyBackward0", [this], [], (g, _, _) => [g.To(original)]);
        }
        return y;
    }

    /// <summary>A tensor on another device (this tensor itself when it is already there, as in PyTorch).</summary>
    public Tensor To(Device device)
    {
        device = Canonical(device);
        return device == Device ? this : CopyToDevice(device);
    }

    /// <summary>to("cpu"), to("cuda:0"), to("float64"): a device or a dtype name.</summary>
    public Tensor To(string deviceOrDType)
    {
        try { return To(Device.Parse(deviceOrDType)); }
        catch (ArgumentException) { return To(DTypes.Parse(deviceOrDType)); }
    }

    /// <summary>The legacy type name PyTorch uses in messages: torch.FloatTensor, torch.cuda.LongTensor, ...</summary>
    public string TypeName() => (Device.Type == DeviceType.Cuda ? "torch.cuda." : "torch.") + DType.LegacyName() + "Tensor";

    public Tensor Cpu() => To(PSTorch.Device.Cpu);
    public Tensor Cuda(int index = 0) => To(new Device(DeviceType.Cuda, index));
    public Tensor Float() => To(DType.Float32);
    public Tensor Double() => To(DType.Float64);
    public Tensor Half() => To(DType.Float16);
    public Tensor BFloat16() => To(DType.BFloat16);
    public Tensor Long() => To(DType.Int64);
    public Tensor Int() => To(DType.Int32);
    public Tensor Bool() => To(DType.Bool);

    /// <summary>A contiguous copy with its own storage.</summary>
    public Tensor Clone()
    {
        var y = Empty(shape, DType, Device);
        Backend.For(this).Copy(y, this);
        if (Graph.ShouldRecord(this)) Graph.Record(y, "CloneBackward0", [this], [], (g, _, _) => [g]);
        return y;
    }

    /// <summary>This tensor if already contiguous, otherwise a contiguous copy.</summary>
    public Tensor Contiguous() => IsContiguous() ? this : Clone();

    /// <summary>Writes src (broadcast, converted) into this tensor without recording autograd.</summary>
    internal void CopyFrom(Tensor src)
    {
        if (src.Device != Device)
        {
            CopyAcrossDevices(src);
            return;
        }
        Backend.For(this).Copy(this, src.BroadcastView(shape));
    }

    /// <summary>copy_(src): copies src (broadcast to this shape, converted to this dtype) into this tensor.</summary>
    public Tensor Copy_(Tensor src)
    {
        Shapes.BroadcastStrides(src.shape, src.strides, shape);
        if (Ops.InPlace.MustRecord(this, src))
        {
            if (src.Device != Device) src = src.To(Device);
            var result = src.To(DType).Expand(shape).Clone();
            return Ops.InPlace.Rebase(this, result);
        }
        CopyFrom(src);
        BumpVersion();
        return this;
    }

    /// <summary>fill_(value).</summary>
    public Tensor Fill_(double value)
    {
        if (GradMode.IsEnabled && IsLeaf && RequiresGrad)
            throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
        Backend.For(this).Fill(this, value);
        BumpVersion();
        return this;
    }

    public Tensor Zero_() => Fill_(0);

    /// <summary>The value of a one-element tensor as a .NET number: double for floating dtypes, long for integers, bool for bool.</summary>
    public object Item()
    {
        if (Numel() != 1)
            throw new InvalidOperationException($"a Tensor with {Numel()} elements cannot be converted to Scalar");
        var one = OnHost().Contiguous().To(DType.IsFloatingPoint() ? DType.Float64 : DType == DType.Bool ? DType.Bool : DType.Int64);
        unsafe
        {
            return one.DType switch
            {
                DType.Float64 => *one.Ptr<double>(),
                DType.Int64 => *one.Ptr<long>(),
                _ => *one.Ptr<byte>() != 0,
            };
        }
    }

    /// <summary>The value of a one-element tensor converted to T.</summary>
    public T Item<T>() where T : unmanaged => (T)Convert.ChangeType(Item(), typeof(T), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The elements in row-major order as an array of the dtype's .NET type (bool as bool[], bfloat16 as BFloat16[]).</summary>
    public Array ToArray() => DType switch
    {
        DType.Float32 => ToArray<float>(),
        DType.Float64 => ToArray<double>(),
        DType.Float16 => ToArray<Half>(),
        DType.BFloat16 => ToArray<BFloat16>(),
        DType.Int64 => ToArray<long>(),
        DType.Int32 => ToArray<int>(),
        DType.Int16 => ToArray<short>(),
        DType.Int8 => ToArray<sbyte>(),
        DType.UInt8 => ToArray<byte>(),
        _ => ToArray<bool>(),
    };

    /// <summary>The elements in row-major order; T must match the dtype's element size (bool reads as bool).</summary>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        if (sizeof(T) != DType.ElementSize())
            throw new ArgumentException($"ToArray<{typeof(T).Name}>() does not match dtype {DType.Name()}; convert with To() first.");
        var c = OnHost().Contiguous();
        var r = new T[Numel()];
        new ReadOnlySpan<T>(c.DataPointer, r.Length).CopyTo(r);
        return r;
    }

    /// <summary>Sums broadcast dimensions away so a gradient gets back the shape of the input it belongs to.</summary>
    public Tensor SumToSize(params long[] size)
    {
        if (shape.AsSpan().SequenceEqual(size)) return this;
        int lead = NDim - size.Length;
        var dims = new List<int>();
        for (int i = 0; i < NDim; i++)
            if (i < lead || (size[i - lead] == 1 && shape[i] != 1)) dims.Add(i);
        var r = dims.Count > 0 ? Sum(dims.ToArray(), keepDim: true) : this;
        return lead > 0 || !r.shape.AsSpan().SequenceEqual(size) ? r.View(size) : r;
    }
}
