using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    public void FillArange(Tensor dst, double start, double step)
    {
        var d = Describe(dst, Enter(dst));
        Check(PstorchCuda.FillArange(&d, start, step, Stream));
    }

    public void FillLinspace(Tensor dst, double start, double end)
    {
        var d = Describe(dst, Enter(dst));
        Check(PstorchCuda.FillLinspace(&d, start, end, Stream));
    }
}
