using System.Runtime.InteropServices;
using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch;

/// <summary>torch.tensor, arange, linspace, eye.</summary>
public static partial class Torch
{
    /// <summary>
    /// torch.tensor(data) (named NewTensor because a member named Tensor would hide the Tensor type inside Torch): a new tensor holding a copy of <paramref name="data"/>: a number or bool, a (nested)
    /// array, list or enumerable of them, a multidimensional array (float[,]) or a tensor (copied, detached).
    /// Without <paramref name="dtype"/>: floating values give the default float dtype, integers int64, bools bool.
    /// </summary>
    public static Tensor NewTensor(object data, DType? dtype = null, Device? device = null, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        Tensor result;
        if (data is Tensor source)
        {
            using (GradMode.Set(false)) result = source.To(dtype ?? source.DType, copy: true).Detach();
        }
        else if (data is Array array && FromPrimitiveArray(array, dtype) is { } flat)
        {
            result = flat;
        }
        else
        {
            var nested = NestedData.Read(data);
            var target = dtype ?? nested.InferredDType;
            result = target.IsFloatingPoint()
                ? FromArray(nested.Floats, nested.Shape, target)
                : FromArray(nested.Integers, nested.Shape, target);
        }
        // a tensor keeps its device (as torch.tensor(t) does); other data goes to the default device
        var place = data is Tensor ? device ?? result.Device : OrDefault(device);
        if (place != result.Device) result = result.To(place);
        return result.RequiresGrad_(requiresGrad);
    }

    /// <summary>
    /// An array of a primitive number type or bool (any rank) copied in one block, then converted once to
    /// <paramref name="dtype"/> or PyTorch's inferred dtype (never through the inferred one: double to float32 to float64 would lose digits).
    /// </summary>
    static unsafe Tensor? FromPrimitiveArray(Array array, DType? dtype)
    {
        var elementType = array.GetType().GetElementType()!;
        if (!elementType.IsPrimitive && elementType != typeof(Half) && elementType != typeof(BFloat16)) return null;
        if (elementType == typeof(char) || elementType == typeof(nint) || elementType == typeof(nuint)) return null;
        var natural = elementType == typeof(bool) ? DType.Bool : DTypes.FromClrType(elementType);
        // unsigned types wider than a byte have no dtype of their own (they map to signed ones): copying their bits
        // would turn 65535 into -1, so they go through the general path, which converts values
        if (elementType == typeof(ushort) || elementType == typeof(uint) || elementType == typeof(ulong)) return null;
        var shape = new long[array.Rank];
        for (int d = 0; d < array.Rank; d++) shape[d] = array.GetLength(d);
        var t = Tensor.Empty(shape, natural, Device.Cpu);
        long bytes = (long)array.Length * natural.ElementSize();
        fixed (byte* src = &MemoryMarshal.GetArrayDataReference(array))
            Buffer.MemoryCopy(src, t.DataPointer, bytes, bytes);
        var inferred = natural == DType.Bool ? DType.Bool : natural.IsFloatingPoint() ? DTypes.DefaultFloat : DType.Int64;
        return t.To(dtype ?? inferred);
    }

    /// <summary>torch.arange(end): 0, 1, ..., end-1 as int64.</summary>
    public static Tensor Arange(long end, DType? dtype = null, Device? device = null, bool requiresGrad = false) =>
        Arange(0, end, 1, dtype, device, requiresGrad);

    /// <summary>torch.arange(start, end, step) with whole-number arguments: int64 unless dtype says otherwise.</summary>
    public static Tensor Arange(long start, long end, long step = 1, DType? dtype = null, Device? device = null, bool requiresGrad = false) =>
        ArangeCore(start, end, step, dtype ?? DType.Int64, device, requiresGrad);

    /// <summary>torch.arange(end) with a fractional end: the default float dtype.</summary>
    public static Tensor Arange(double end, DType? dtype = null, Device? device = null, bool requiresGrad = false) =>
        Arange(0, end, 1, dtype, device, requiresGrad);

    /// <summary>torch.arange(start, end, step) with any fractional argument: the default float dtype.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType? dtype = null, Device? device = null, bool requiresGrad = false) =>
        ArangeCore(start, end, step, dtype ?? DTypes.DefaultFloat, device, requiresGrad);

    static Tensor ArangeCore(double start, double end, double step, DType dtype, Device? device, bool requiresGrad)
    {
        if (step == 0) throw new ArgumentException("step must be nonzero");
        if (!double.IsFinite(start) || !double.IsFinite(end)) throw new ArgumentException($"unsupported range: {start} -> {end}");
        if ((step > 0 && end < start) || (step < 0 && end > start))
            throw new ArgumentException("upper bound and larger bound inconsistent with step sign");
        long n = (long)Math.Ceiling((end - start) / step);
        var t = Tensor.Empty([n], dtype, OrDefault(device));
        Backend.For(t).FillArange(t, start, step);
        return t.RequiresGrad_(requiresGrad);
    }

    /// <summary>torch.linspace(start, end, steps): steps evenly spaced values from start to end inclusive.</summary>
    public static Tensor Linspace(double start, double end, long steps, DType? dtype = null, Device? device = null, bool requiresGrad = false)
    {
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        var t = Tensor.Empty([steps], dtype ?? DTypes.DefaultFloat, OrDefault(device));
        Backend.For(t).FillLinspace(t, start, end);
        return t.RequiresGrad_(requiresGrad);
    }

    /// <summary>torch.eye(n, m): ones on the diagonal, zeros elsewhere (m defaults to n).</summary>
    public static Tensor Eye(long n, long? m = null, DType? dtype = null, Device? device = null, bool requiresGrad = false)
    {
        long cols = m ?? n;
        if (n < 0) throw new ArgumentException($"n must be greater or equal to 0, got {n}");
        if (cols < 0) throw new ArgumentException($"m must be greater or equal to 0, got {cols}");
        var t = Zeros([n, cols], dtype ?? DTypes.DefaultFloat, device);
        var diagonal = t.AsStridedView([Math.Min(n, cols)], [cols + 1], 0);
        Backend.For(t).Fill(diagonal, 1);
        return t.RequiresGrad_(requiresGrad);
    }
}
