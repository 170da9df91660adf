namespace PSTorch.Backends.Cuda;

/// <summary>
/// The kernels libpstorch_cuda does not have yet (gather/scatter and index preparation): PyTorch's "not implemented"
/// error, never a silent copy to the CPU.
/// </summary>
internal sealed partial class CudaBackend
{
    public void Gather(Tensor dst, Tensor src, int dim, Tensor index) => throw NotImplemented("gather");
    public void Scatter(Tensor dst, int dim, Tensor index, Tensor src, bool accumulate) => throw NotImplemented(accumulate ? "scatter_add" : "scatter");
    public Tensor Nonzero(Tensor mask) => throw NotImplemented("nonzero");
    public void WrapIndex(Tensor index, long size, int dim) => throw NotImplemented("index");
}
