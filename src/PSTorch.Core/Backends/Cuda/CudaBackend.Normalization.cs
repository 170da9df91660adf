using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>Fused batch_norm and layer_norm over contiguous inputs (normalization.cu), float16/bfloat16/float32/float64.</summary>
internal sealed unsafe partial class CudaBackend
{
    static void* PointerOf(Tensor? t) => t == null ? null : t.DataPointer;

    public void BatchNormForward(Tensor output, Tensor? saveMean, Tensor? saveInvstd, Tensor? runningMean, Tensor? runningVar, Tensor input,
        Tensor? weight, Tensor? bias, long batch, long channels, long plane, bool training, double momentum, double eps)
    {
        var device = Enter(output);
        SameDevice(device, saveMean, saveInvstd, runningMean, runningVar, input, weight, bias);
        Check(PstorchCuda.BatchNormForward(CudaOpCodes.Of(input.DType), output.DataPointer, PointerOf(saveMean), PointerOf(saveInvstd),
            PointerOf(runningMean), PointerOf(runningVar), input.DataPointer, PointerOf(weight), PointerOf(bias), batch, channels, plane,
            training ? 1 : 0, momentum, eps, Stream));
    }

    public void BatchNormBackward(Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Tensor? weight,
        Tensor saveMean, Tensor saveInvstd, long batch, long channels, long plane, bool training)
    {
        var device = Enter(gradOutput);
        SameDevice(device, gradInput, gradWeight, gradBias, input, weight, saveMean, saveInvstd);
        Check(PstorchCuda.BatchNormBackward(CudaOpCodes.Of(input.DType), PointerOf(gradInput), PointerOf(gradWeight), PointerOf(gradBias),
            gradOutput.DataPointer, input.DataPointer, PointerOf(weight), saveMean.DataPointer, saveInvstd.DataPointer, batch, channels, plane,
            training ? 1 : 0, Stream));
    }

    public void LayerNormForward(Tensor output, Tensor? saveMean, Tensor? saveRstd, Tensor input, Tensor? weight, Tensor? bias, long rows, long cols, double eps)
    {
        var device = Enter(output);
        SameDevice(device, saveMean, saveRstd, input, weight, bias);
        Check(PstorchCuda.LayerNormForward(CudaOpCodes.Of(input.DType), output.DataPointer, PointerOf(saveMean), PointerOf(saveRstd), input.DataPointer,
            PointerOf(weight), PointerOf(bias), rows, cols, eps, Stream));
    }

    public void LayerNormBackward(Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Tensor? weight,
        Tensor saveMean, Tensor saveRstd, long rows, long cols)
    {
        var device = Enter(gradOutput);
        SameDevice(device, gradInput, gradWeight, gradBias, input, weight, saveMean, saveRstd);
        Check(PstorchCuda.LayerNormBackward(CudaOpCodes.Of(input.DType), PointerOf(gradInput), PointerOf(gradWeight), PointerOf(gradBias),
            gradOutput.DataPointer, input.DataPointer, PointerOf(weight), saveMean.DataPointer, saveRstd.DataPointer, rows, cols, Stream));
    }
}
