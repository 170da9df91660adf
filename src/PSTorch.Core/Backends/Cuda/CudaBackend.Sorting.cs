using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>Sort, searchsorted and mode over contiguous rows (sort.cu): the CPU's total order, so the results are equal.</summary>
internal sealed unsafe partial class CudaBackend
{
    public void Sort(Tensor values, Tensor indices, Tensor src, long rows, long n, bool descending)
    {
        var device = Enter(values);
        SameDevice(device, indices, src);
        Check(PstorchCuda.Sort(CudaOpCodes.Of(src.DType), values.DataPointer, (long*)indices.DataPointer, src.DataPointer,
            rows, n, descending ? 1 : 0, Stream));
    }

    public void Searchsorted(Tensor dst, Tensor boundaries, Tensor values, long rows, long boundaryCount, long valuesPerRow, bool sharedBoundaries, bool right)
    {
        var device = Enter(dst);
        SameDevice(device, boundaries, values);
        Check(PstorchCuda.Searchsorted(CudaOpCodes.Of(values.DType), dst.DataPointer, dst.DType == DType.Int32 ? 1 : 0,
            boundaries.DataPointer, values.DataPointer, rows, boundaryCount, valuesPerRow, sharedBoundaries ? 1 : 0, right ? 1 : 0, Stream));
    }

    public void ModeOfSorted(Tensor values, Tensor indices, Tensor sortedValues, Tensor sortedIndices, long rows, long n)
    {
        var device = Enter(values);
        SameDevice(device, indices, sortedValues, sortedIndices);
        Check(PstorchCuda.ModeOfSorted(CudaOpCodes.Of(values.DType), values.DataPointer, (long*)indices.DataPointer,
            sortedValues.DataPointer, (long*)sortedIndices.DataPointer, rows, n, Stream));
    }
}
