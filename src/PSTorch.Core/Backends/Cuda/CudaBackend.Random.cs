using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>Philox fills in the element layout of <see cref="RandomLayout"/>: the same numbers as the CPU for one generator state.</summary>
internal sealed unsafe partial class CudaBackend
{
    public void FillUniform(Tensor dst, double from, double to, PhiloxState state)
    {
        var d = Describe(dst, Enter(dst));
        Check(PstorchCuda.FillUniform(&d, from, to, state.Seed, state.Offset, Stream));
    }

    public void FillNormal(Tensor dst, double mean, double std, PhiloxState state)
    {
        var d = Describe(dst, Enter(dst));
        Check(PstorchCuda.FillNormal(&d, mean, std, state.Seed, state.Offset, Stream));
    }

    /// <summary>The kernel draws int64; another dtype receives them converted, as the CPU's int64 buffer is.</summary>
    public void FillRandint(Tensor dst, long low, long high, PhiloxState state)
    {
        var device = Enter(dst);
        using var drawn = dst.DType == DType.Int64 ? null : Tensor.Empty(dst.ShapeRef, DType.Int64, device);
        var d = Describe(drawn ?? dst, device);
        Check(PstorchCuda.FillRandint(&d, low, high, state.Seed, state.Offset, Stream));
        if (drawn != null) Copy(dst, drawn);
    }

    /// <summary>The CPU's Fisher-Yates permutation, reproduced by rounds of non-conflicting swaps (randperm.cu).</summary>
    public void FillRandperm(Tensor dst, PhiloxState state)
    {
        Enter(dst);
        Check(PstorchCuda.FillRandperm((long*)dst.DataPointer, dst.Numel(), state.Seed, state.Offset, Stream));
    }
}
