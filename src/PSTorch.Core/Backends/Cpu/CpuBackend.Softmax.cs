namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Softmax(Tensor dst, Tensor src, long outer, long n, long inner, bool log)
    {
        switch (dst.DType)
        {
            case DType.Float32: SoftmaxKernel<float>.Run(src.Ptr<float>(), dst.Ptr<float>(), outer, n, inner, log); break;
            case DType.Float64: SoftmaxKernel<double>.Run(src.Ptr<double>(), dst.Ptr<double>(), outer, n, inner, log); break;
            case DType.Float16: case DType.BFloat16:
                // computed in float32 and rounded once, as PyTorch's CPU kernels do for reduced precision
                var f = Tensor.Empty(dst.ShapeRef, DType.Float32, dst.Device);
                var fs = src.To(DType.Float32);
                SoftmaxKernel<float>.Run(fs.Ptr<float>(), f.Ptr<float>(), outer, n, inner, log);
                Copy(dst, f);
                break;
            default: throw new NotSupportedException($"softmax is not implemented for dtype {dst.DType.Name()}");
        }
    }
}
