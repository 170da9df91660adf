using PSTorch.Backends;
using PSTorch.Backends.Cuda;

namespace PSTorch.Ops;

/// <summary>Index checks shared by gather/scatter/index_select/index_add: dtype, and range with PyTorch's messages.</summary>
internal static partial class Indexing
{
    /// <summary>The index as int64 (int32 is accepted and widened).</summary>
    static Tensor Int64Index(Tensor index, string message)
    {
        if (index.DType == DType.Int64) return index;
        if (index.DType == DType.Int32) return index.To(DType.Int64);
        throw new InvalidOperationException(message);
    }

    /// <summary>
    /// Throws when an index is outside [0, size): gather/scatter report the offending value, index_select/index_add
    /// say "index out of range in self" as PyTorch does. On CUDA the check is queued, not waited for: the kernels skip
    /// such indices, and the error is raised at the next synchronisation (<see cref="DeferredDeviceChecks"/>), so
    /// an embedding or gather in a training step costs no wait.
    /// </summary>
    static void CheckRange(Tensor index, long size, int dim, bool inSelf)
    {
        if (index.Numel() == 0) return;
        if (index.IsCuda)
        {
            DeferRangeCheck(index, size, dim, inSelf);
            return;
        }
        var all = Reduction.Dims(null, index.NDim);
        long lowest = (long)Reduction.Reduce(ReduceOp.Min, index, all, false).Item();
        long highest = (long)Reduction.Reduce(ReduceOp.Max, index, all, false).Item();
        if (lowest >= 0 && highest < size) return;
        if (inSelf) throw new IndexOutOfRangeException("index out of range in self");
        throw new IndexOutOfRangeException($"index {(lowest < 0 ? lowest : highest)} is out of bounds for dimension {dim} with size {size}");
    }

    static void DeferRangeCheck(Tensor index, long size, int dim, bool inSelf)
    {
        using var _ = Torch.NoGrad();
        using var below = index.Lt(0);
        using var above = index.Ge(size);
        using var outside = below.LogicalOr(above);
        using var any = outside.Any();
        var device = index.Device;
        using var flag = DeferredDeviceChecks.Claim(device, () => new IndexOutOfRangeException(inSelf
            ? $"index out of range in self (an index on {device} was outside [0, {size}); CUDA reports it at the next synchronisation)"
            : $"index is out of bounds for dimension {dim} with size {size} (an index on {device}; CUDA reports it at the next synchronisation)"));
        flag.CopyFrom(any);
    }

    /// <summary>A one-dimensional index viewed with <paramref name="shape"/>: it varies along dim only.</summary>
    internal static Tensor AlongDim(Tensor vector, long[] shape, int dim)
    {
        var strides = new long[shape.Length];
        strides[dim] = vector.StridesRef[0];
        return vector.AsStridedView(shape, strides, vector.StorageOffset);
    }

    /// <summary>index_select/index_add accept a vector or a scalar index of an integer dtype.</summary>
    static Tensor IndexVector(Tensor index, string op)
    {
        if (index.NDim > 1) throw new ArgumentException($"{op}(): Index is supposed to be a vector");
        var idx = Int64Index(index, $"{op}(): Expected dtype int32 or int64 for index");
        return idx.NDim == 1 ? idx : idx.Reshape(1);
    }
}
