using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>Reductions and softmax over contiguous [outer, n, inner] blocks, reduced or normalised along n (dimension 1).</summary>
internal sealed unsafe partial class CudaBackend
{
    const uint MiddleDimension = 1u << 1;

    /// <summary>The [outer, n, inner] view of a contiguous tensor of <paramref name="device"/>.</summary>
    static PstTensor DescribeBlocks(Tensor t, Device device, long outer, long n, long inner)
    {
        SameDevice(device, t);
        return CudaDescriptor.Build(t.UntypedStorage.Pointer, t.StorageOffset, t.DType, [outer, n, inner], [n * inner, inner, 1]);
    }

    public void Reduce(ReduceOp op, Tensor dst, Tensor src, long outer, long n, long inner)
    {
        var device = Enter(dst);
        var (d, s) = (DescribeBlocks(dst, device, outer, 1, inner), DescribeBlocks(src, device, outer, n, inner));
        Check(PstorchCuda.Reduce(CudaOpCodes.Of(op), &d, &s, MiddleDimension, Stream));
    }

    public void ArgReduce(bool max, Tensor? values, Tensor indices, Tensor src, long outer, long n, long inner)
    {
        var device = Enter(indices);
        var (i, s) = (DescribeBlocks(indices, device, outer, 1, inner), DescribeBlocks(src, device, outer, n, inner));
        if (values == null)
        {
            Check(PstorchCuda.Reduce(max ? PstReduceOp.Argmax : PstReduceOp.Argmin, &i, &s, MiddleDimension, Stream));
            return;
        }
        var v = DescribeBlocks(values, device, outer, 1, inner);
        Check(PstorchCuda.ReduceWithIndices(max ? PstReduceOp.Max : PstReduceOp.Min, &v, &i, &s, 1, Stream));
    }

    public void Softmax(Tensor dst, Tensor src, long outer, long n, long inner, bool log)
    {
        var device = Enter(dst);
        var (d, s) = (DescribeBlocks(dst, device, outer, n, inner), DescribeBlocks(src, device, outer, n, inner));
        Check(PstorchCuda.Softmax(&d, &s, 1, log ? 1 : 0, Stream));
    }

    public void LogSoftmaxBackward(Tensor gradInput, Tensor gradOutput, Tensor output, long outer, long n, long inner)
    {
        var device = Enter(gradInput);
        var gi = DescribeBlocks(gradInput, device, outer, n, inner);
        var go = DescribeBlocks(gradOutput, device, outer, n, inner);
        var o = DescribeBlocks(output, device, outer, n, inner);
        Check(PstorchCuda.SoftmaxBackward(&gi, &go, &o, 1, 1, Stream));
    }
}
