using PSTorch.Cuda.Bindings;
using PSTorch.Ops;

namespace PSTorch.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    public void Unary(UnaryOp op, Tensor dst, Tensor src)
    {
        var device = Enter(dst);
        var (d, s) = (Describe(dst, device), Describe(src, device));
        Check(PstorchCuda.Unary(CudaOpCodes.Of(op), &d, &s, Stream));
    }

    public void Binary(BinaryOp op, Tensor dst, Tensor a, Tensor b)
    {
        var device = Enter(dst);
        var (d, x, y) = (Describe(dst, device), Describe(a, device), Describe(b, device));
        Check(PstorchCuda.Binary(CudaOpCodes.Of(op), &d, &x, &y, Stream));
    }

    public void Where(Tensor dst, Tensor cond, Tensor a, Tensor b)
    {
        var device = Enter(dst);
        var (d, c, x, y) = (Describe(dst, device), Describe(cond, device), Describe(a, device), Describe(b, device));
        Check(PstorchCuda.Where(&d, &c, &x, &y, Stream));
    }

    /// <summary>A copy within one device, converting the dtype (copies between devices are <see cref="CudaMemory.CopyBetweenDevices"/>).</summary>
    public void Copy(Tensor dst, Tensor src)
    {
        var device = Enter(dst);
        var (d, s) = (Describe(dst, device), Describe(src, device));
        Check(PstorchCuda.Copy(&d, &s, Stream));
    }

    public void Fill(Tensor dst, double value)
    {
        var d = Describe(dst, Enter(dst));
        Check(PstorchCuda.Fill(&d, value, Stream));
    }
}
