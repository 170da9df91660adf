using PSTorch.Backends;
using PSTorch.Backends.Cuda;
using PSTorch.Cuda.Bindings;
using PSTorch.Ops;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// What the CUDA backend decides without a GPU (these run in CI): descriptors from a view's metadata, the op and
/// dtype code tables, how GEMM operands reach cuBLAS, and the answer to "cuda" on a machine without it.
/// </summary>
public sealed unsafe class CudaBackendContractTests
{
    [Fact]
    public void BackendForCudaWithoutADeviceSaysWhy()
    {
        if (CudaRuntime.IsAvailable) Assert.Skip("a CUDA device is present; the no-CUDA path is tested on machines without one.");
        var e = Assert.Throws<CudaUnavailableException>(() => Backend.For(Device.Parse("cuda:0")));
        Assert.StartsWith("CUDA unavailable: ", e.Message);
        Assert.Contains(CudaRuntime.UnavailableReason!, e.Message);
        Assert.Throws<CudaUnavailableException>(() => Torch.Ones([2]).Cuda());
        Assert.Throws<CudaUnavailableException>(() => Torch.Cuda.MemoryAllocated());
        Assert.Throws<CudaUnavailableException>(() => Torch.Cuda.AllowTF32 = true);
    }

    [Fact]
    public void ADescriptorPointsAtTheViewsFirstElementWithItsSizesAndStrides()
    {
        var x = Torch.Zeros([4, 6, 5], DType.Float64);
        var view = x.Transpose(0, 2).Slice(1, 2, 6, 3); // [5, 2, 4], strides [1, 15, 30], offset 10
        var d = CudaDescriptor.Build(view.UntypedStorage.Pointer, view.StorageOffset, view.DType, view.ShapeRef, view.StridesRef);
        Assert.Equal(10, view.StorageOffset);
        Assert.Equal((nint)view.DataPointer, (nint)d.Data);
        Assert.Equal((nint)((byte*)x.DataPointer + 10 * sizeof(double)), (nint)d.Data);
        Assert.Equal(PstDtype.Float64, d.Dtype);
        Assert.Equal(3, d.Ndim);
        Assert.Equal(new long[] { 5, 2, 4 }, new[] { d.Sizes[0], d.Sizes[1], d.Sizes[2] });
        Assert.Equal(new long[] { 1, 15, 30 }, new[] { d.Strides[0], d.Strides[1], d.Strides[2] });
    }

    [Fact]
    public void AScalarDescriptorHasNoDimensionsAndAnExpandedOneZeroStrides()
    {
        var s = Torch.Scalar(2.5);
        var d = CudaDescriptor.Build(s.UntypedStorage.Pointer, 0, DType.Float32, s.ShapeRef, s.StridesRef);
        Assert.Equal(0, d.Ndim);
        var e = Torch.Ones([3, 1], DType.Int16).Expand(3, 7);
        var de = CudaDescriptor.Build(e.UntypedStorage.Pointer, e.StorageOffset, e.DType, e.ShapeRef, e.StridesRef);
        Assert.Equal(PstDtype.Int16, de.Dtype);
        Assert.Equal(new long[] { 1, 0 }, new[] { de.Strides[0], de.Strides[1] });
    }

    [Fact]
    public void MoreDimensionsThanTheKernelsTakeAreRefused()
    {
        var x = Torch.Zeros(Enumerable.Repeat(1L, PstorchCuda.MaxDims + 1).ToArray());
        var e = Assert.Throws<NotSupportedException>(() => CudaDescriptor.Build(x.UntypedStorage.Pointer, 0, x.DType, x.ShapeRef, x.StridesRef));
        Assert.Equal($"CUDA kernels take tensors of at most {PstorchCuda.MaxDims} dimensions, but this one has {PstorchCuda.MaxDims + 1}; reshape it first", e.Message);
        var most = Torch.Zeros(Enumerable.Repeat(1L, PstorchCuda.MaxDims).ToArray());
        Assert.Equal(PstorchCuda.MaxDims, CudaDescriptor.Build(most.UntypedStorage.Pointer, 0, most.DType, most.ShapeRef, most.StridesRef).Ndim);
    }

    [Fact]
    public void EveryDTypeHasTheNativeCodeOfItsName()
    {
        foreach (DType t in Enum.GetValues<DType>())
            Assert.Equal(t.ToString().ToLowerInvariant(), CudaOpCodes.Of(t).ToString().ToLowerInvariant());
        Assert.Equal(Enum.GetValues<DType>().Length, Enum.GetValues<PstDtype>().Length);
    }

    [Fact]
    public void EveryEngineOpMapsToTheNativeOpOfItsName()
    {
        foreach (UnaryOp op in Enum.GetValues<UnaryOp>()) Assert.Equal(op.ToString(), CudaOpCodes.Of(op).ToString());
        foreach (BinaryOp op in Enum.GetValues<BinaryOp>()) Assert.Equal(op.ToString(), CudaOpCodes.Of(op).ToString());
        foreach (ReduceOp op in Enum.GetValues<ReduceOp>()) Assert.Equal(op.ToString(), CudaOpCodes.Of(op).ToString());
    }

    [Theory]
    // [batch, rows, cols] with strides -> transposed, leading dimension, batch stride (null: copied contiguous first)
    [InlineData(new long[] { 3, 4, 5 }, new long[] { 20, 5, 1 }, false, 5L, 20L)]       // contiguous
    [InlineData(new long[] { 3, 4, 5 }, new long[] { 20, 1, 4 }, true, 4L, 20L)]        // transposed matrices
    [InlineData(new long[] { 1, 4, 5 }, new long[] { 40, 10, 1 }, false, 10L, 0L)]      // a column slice: row stride 10
    [InlineData(new long[] { 3, 4, 5 }, new long[] { 0, 5, 1 }, false, 5L, 0L)]         // a broadcast batch
    [InlineData(new long[] { 1, 1, 5 }, new long[] { 5, 0, 1 }, false, 5L, 0L)]         // a single row
    [InlineData(new long[] { 1, 7, 1 }, new long[] { 7, 1, 1 }, false, 1L, 0L)]         // a column vector
    [InlineData(new long[] { 1, 4, 5 }, new long[] { 20, 0, 1 }, null, 0L, 0L)]         // expanded rows
    [InlineData(new long[] { 1, 4, 5 }, new long[] { 60, 15, 3 }, null, 0L, 0L)]        // every third column
    public void GemmOperandsReachCublasDirectlyWhenTheyCan(long[] sizes, long[] strides, bool? transposed, long leading, long batchStride)
    {
        var layout = CudaBackend.GemmLayout(sizes, strides);
        if (transposed == null)
        {
            Assert.Null(layout);
            return;
        }
        Assert.Equal(new CudaBackend.GemmOperand(transposed.Value, leading, batchStride), layout);
    }

    [Fact]
    public void CpuTensorsKeepTheirDevice()
    {
        var a = Torch.Ones([2]);
        var s = Torch.Scalar(3);
        var (x, y) = Backend.Colocate(a, s);
        Assert.Same(a, x);
        Assert.Same(s, y);
        Assert.Same(a, a.To(Device.Cpu));
    }
}
