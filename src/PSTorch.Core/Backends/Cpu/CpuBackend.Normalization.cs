namespace PSTorch.Backends.Cpu;

/// <summary>Fused batch_norm and layer_norm in float32 and float64 (NormalizationKernels); the ops compose other dtypes.</summary>
internal sealed unsafe partial class CpuBackend
{
    public void BatchNormForward(Tensor output, Tensor? saveMean, Tensor? saveInvstd, Tensor? runningMean, Tensor? runningVar, Tensor input,
        Tensor? weight, Tensor? bias, long batch, long channels, long plane, bool training, double momentum, double eps)
    {
        switch (input.DType)
        {
            case DType.Float32:
                NormalizationKernels<float>.BatchNormForward(output, saveMean, saveInvstd, runningMean, runningVar, input, weight, bias, batch, channels, plane, training, momentum, eps);
                break;
            case DType.Float64:
                NormalizationKernels<double>.BatchNormForward(output, saveMean, saveInvstd, runningMean, runningVar, input, weight, bias, batch, channels, plane, training, momentum, eps);
                break;
            default: throw NotImplemented("batch_norm", input.DType);
        }
    }

    public void BatchNormBackward(Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Tensor? weight,
        Tensor saveMean, Tensor saveInvstd, long batch, long channels, long plane, bool training)
    {
        switch (input.DType)
        {
            case DType.Float32:
                NormalizationKernels<float>.BatchNormBackward(gradInput, gradWeight, gradBias, gradOutput, input, weight, saveMean, saveInvstd, batch, channels, plane, training);
                break;
            case DType.Float64:
                NormalizationKernels<double>.BatchNormBackward(gradInput, gradWeight, gradBias, gradOutput, input, weight, saveMean, saveInvstd, batch, channels, plane, training);
                break;
            default: throw NotImplemented("batch_norm_backward", input.DType);
        }
    }

    public void LayerNormForward(Tensor output, Tensor? saveMean, Tensor? saveRstd, Tensor input, Tensor? weight, Tensor? bias, long rows, long cols, double eps)
    {
        switch (input.DType)
        {
            case DType.Float32: NormalizationKernels<float>.LayerNormForward(output, saveMean, saveRstd, input, weight, bias, rows, cols, eps); break;
            case DType.Float64: NormalizationKernels<double>.LayerNormForward(output, saveMean, saveRstd, input, weight, bias, rows, cols, eps); break;
            default: throw NotImplemented("layer_norm", input.DType);
        }
    }

    public void LayerNormBackward(Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Tensor? weight,
        Tensor saveMean, Tensor saveRstd, long rows, long cols)
    {
        switch (input.DType)
        {
            case DType.Float32: NormalizationKernels<float>.LayerNormBackward(gradInput, gradWeight, gradBias, gradOutput, input, weight, saveMean, saveRstd, rows, cols); break;
            case DType.Float64: NormalizationKernels<double>.LayerNormBackward(gradInput, gradWeight, gradBias, gradOutput, input, weight, saveMean, saveRstd, rows, cols); break;
            default: throw NotImplemented("layer_norm_backward", input.DType);
        }
    }
}
