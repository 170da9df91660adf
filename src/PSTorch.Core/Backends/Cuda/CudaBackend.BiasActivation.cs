using PSTorch.Cuda.Bindings;
using PSTorch.Ops;

namespace PSTorch.Backends.Cuda;

/// <summary>Bias add + relu/GELU in one launch (pst_bias_activation) and its backward; the bias gradient is a pst_reduce over outer and inner.</summary>
internal sealed unsafe partial class CudaBackend
{
    // dims 0 (outer) and 2 (inner) of the [outer, channels, inner] view
    const uint OuterAndInnerDimensions = 1u << 0 | 1u << 2;

    public void BiasActivation(Tensor output, Tensor pre, Tensor? bias, long channels, long inner, BiasActivationKind kind)
    {
        var device = Enter(output);
        SameDevice(device, pre, bias);
        Check(PstorchCuda.BiasActivation(CudaOpCodes.Of(output.DType), Native(kind), output.DataPointer, pre.DataPointer,
            bias == null ? null : bias.DataPointer, output.Numel(), channels, inner, Stream));
    }

    public void BiasActivationBackward(Tensor gradPre, Tensor? gradBias, Tensor gradOutput, Tensor saved, Tensor? bias, long channels, long inner, BiasActivationKind kind)
    {
        var device = Enter(gradPre);
        SameDevice(device, gradOutput, saved, bias, gradBias);
        long n = gradPre.Numel();
        Check(PstorchCuda.BiasActivationBackward(CudaOpCodes.Of(gradPre.DType), Native(kind), gradPre.DataPointer, gradOutput.DataPointer,
            saved.DataPointer, bias == null ? null : bias.DataPointer, n, channels, inner, Stream));
        if (gradBias == null) return;
        long outer = n / (channels * inner);
        var dst = CudaDescriptor.Build(gradBias.UntypedStorage.Pointer, gradBias.StorageOffset, gradBias.DType, [1, channels, 1], [channels, 1, 1]);
        var src = CudaDescriptor.Build(gradPre.UntypedStorage.Pointer, gradPre.StorageOffset, gradPre.DType, [outer, channels, inner], [channels * inner, inner, 1]);
        Check(PstorchCuda.Reduce(PstReduceOp.Sum, &dst, &src, OuterAndInnerDimensions, Stream));
    }

    static PstActivation Native(BiasActivationKind kind) => kind switch
    {
        BiasActivationKind.Relu => PstActivation.Relu,
        BiasActivationKind.Gelu => PstActivation.Gelu,
        _ => PstActivation.GeluTanh,
    };
}
