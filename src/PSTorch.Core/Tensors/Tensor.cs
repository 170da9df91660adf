using PSTorch.Autograd;

namespace PSTorch;

/// <summary>
/// A strided view of a <see cref="Storage"/>: shape, strides (in elements) and an offset, with a dtype and
/// the autograd state. Views share storage and version counter with their base.
/// </summary>
public partial class Tensor : IDisposable
{
    Storage storage;
    long[] shape;
    long[] strides;
    bool disposed;

    internal Tensor(Storage storage, long[] shape, long[] strides, long offset, DType dtype, VersionCounter version, bool shareStorage)
    {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        StorageOffset = offset;
        DType = dtype;
        VersionCounter = version;
        if (shareStorage) storage.AddReference();
    }

    /// <summary>Allocates an uninitialised contiguous tensor.</summary>
    internal static unsafe Tensor Empty(ReadOnlySpan<long> shape, DType dtype, Device device) => Empty(shape, dtype, device, null);

    /// <summary>Allocates an uninitialised contiguous tensor; device memory in the order of <paramref name="stream"/> (null: the legacy default stream).</summary>
    internal static unsafe Tensor Empty(ReadOnlySpan<long> shape, DType dtype, Device device, void* stream)
    {
        var s = shape.ToArray();
        long n = Shapes.Numel(s);
        return new Tensor(new Storage(n * dtype.ElementSize(), device, stream), s, Shapes.ContiguousStrides(s), 0, dtype, new VersionCounter(), shareStorage: false);
    }

    /// <summary>Copy constructor for subclasses (Parameter): takes over the other tensor's storage and view.</summary>
    protected Tensor(Tensor data) : this(data.storage, data.shape, data.strides, data.StorageOffset, data.DType, data.VersionCounter, shareStorage: true) { }

    /// <summary>A new tensor object viewing the same memory with another shape/strides/offset (autograd not recorded).</summary>
    internal Tensor AsStridedView(long[] newShape, long[] newStrides, long newOffset) =>
        new(storage, newShape, newStrides, newOffset, DType, VersionCounter, shareStorage: true);

    public DType DType { get; private set; }
    public Device Device => storage.Device;
    public Storage UntypedStorage => storage;
    public long StorageOffset { get; private set; }
    internal VersionCounter VersionCounter { get; private set; }

    /// <summary>Number of in-place modifications of this tensor's data (torch's _version).</summary>
    public int Version => VersionCounter.Version;

    public long[] Shape => (long[])shape.Clone();
    internal long[] ShapeRef => shape;
    internal long[] StridesRef => strides;

    /// <summary>size(): the shape.</summary>
    public long[] Size() => Shape;
    public long Size(int dim) => shape[Shapes.WrapDim(dim, shape.Length)];
    public long[] Stride() => (long[])strides.Clone();
    public long Stride(int dim) => strides[Shapes.WrapDim(dim, shape.Length)];
    public int Dim() => shape.Length;
    public int NDim => shape.Length;
    public long Numel() => Shapes.Numel(shape);
    public long NumElements => Shapes.Numel(shape);
    public int ElementSize() => DType.ElementSize();
    public bool IsFloatingPoint() => DType.IsFloatingPoint();
    public bool IsCuda => Device.Type == DeviceType.Cuda;

    public bool IsContiguous() => Shapes.IsContiguous(shape, strides);

    internal unsafe void* DataPointer => (byte*)storage.Pointer + StorageOffset * DType.ElementSize();
    internal unsafe T* Ptr<T>() where T : unmanaged => (T*)storage.Pointer + StorageOffset;

    /// <summary>Marks an in-place write: autograd uses it to refuse backward through modified saved tensors.</summary>
    internal void BumpVersion() => VersionCounter.Bump();

    /// <summary>Releases this tensor's claim on its memory now instead of at garbage collection.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        storage.Release();
        GC.SuppressFinalize(this);
    }

    internal bool IsDisposed => disposed;

    /// <summary>Makes this tensor view <paramref name="source"/>'s memory (the setter of .Data).</summary>
    void SetData(Tensor source)
    {
        if (ReferenceEquals(source.storage, storage) && source.StorageOffset == StorageOffset && source.shape.AsSpan().SequenceEqual(shape) && source.strides.AsSpan().SequenceEqual(strides)) return;
        source.storage.AddReference();
        if (!disposed) storage.Release();
        disposed = false;
        storage = source.storage;
        shape = (long[])source.shape.Clone();
        strides = (long[])source.strides.Clone();
        StorageOffset = source.StorageOffset;
        DType = source.DType;
    }

    /// <summary>True if this tensor and <paramref name="other"/> view the same storage.</summary>
    public bool SharesStorageWith(Tensor other) => ReferenceEquals(storage, other.storage);
}
