using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    public void Scan(ScanOp op, Tensor dst, Tensor? indices, Tensor src, long outer, long n, long inner)
    {
        var device = Enter(dst);
        var (d, s) = (DescribeBlocks(dst, device, outer, n, inner), DescribeBlocks(src, device, outer, n, inner));
        if (indices == null)
        {
            Check(PstorchCuda.Scan(CudaOpCodes.Of(op), &d, null, &s, 1, Stream));
            return;
        }
        var i = DescribeBlocks(indices, device, outer, n, inner);
        Check(PstorchCuda.Scan(CudaOpCodes.Of(op), &d, &i, &s, 1, Stream));
    }
}
