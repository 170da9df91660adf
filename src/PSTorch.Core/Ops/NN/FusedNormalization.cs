using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>
/// batch_norm and layer_norm as one backend op each (IBackend.Normalization): one kernel computes the statistics,
/// normalises and (batch norm) updates the running statistics, and one kernel gives every gradient, where the
/// composition in <see cref="Normalization"/> runs about ten elementwise and reduction passes. Functional picks
/// this path for the dtypes and layouts the kernels take and the composition for the rest; both save and compute
/// the same quantities and show PyTorch's grad_fn names.
/// </summary>
internal static class FusedNormalization
{
    /// <summary>Statistics (and batch norm's per-channel tensors) are float64 for float64 input and float32 otherwise.</summary>
    static DType AccumulationType(DType input) => input == DType.Float64 ? DType.Float64 : DType.Float32;

    /// <summary>float32/float64 everywhere; the half types on CUDA, computed in float32 there.</summary>
    static bool TakesInput(Tensor input) =>
        input.Numel() > 0 && (input.DType is DType.Float32 or DType.Float64 || input.IsCuda && input.DType is DType.Float16 or DType.BFloat16);

    static bool Fits(Tensor? t, Tensor input, DType dtype) => t == null || t.Device == input.Device && t.DType == dtype && t.IsContiguous();

    public static bool SupportsBatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias)
    {
        if (!TakesInput(input)) return false;
        var perChannel = AccumulationType(input.DType);
        return Fits(runningMean, input, perChannel) && Fits(runningVar, input, perChannel) && Fits(weight, input, perChannel) && Fits(bias, input, perChannel);
    }

    public static bool SupportsLayerNorm(Tensor input, Tensor? weight, Tensor? bias) =>
        TakesInput(input) && Fits(weight, input, input.DType) && Fits(bias, input, input.DType);

    /// <summary>
    /// Batch norm over [batch, channels, *]: training normalises with the batch statistics and updates the running
    /// statistics when given (their version is bumped); otherwise the running statistics (required) normalise.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias, bool training, double momentum, double eps)
    {
        long batch = input.Size(0), channels = input.Size(1), plane = input.Numel() / (batch * channels);
        var (x, output, saveMean, saveInvstd) = Prepare(input, channels);
        Backend.For(input).BatchNormForward(output, saveMean, saveInvstd, runningMean, runningVar, x, weight, bias, batch, channels, plane, training, momentum, eps);
        if (training)
        {
            runningMean?.BumpVersion();
            runningVar?.BumpVersion();
        }
        long[] affineShape = [channels, .. Enumerable.Repeat(1L, input.NDim - 2)];
        int[]? statisticDims = training ? [0, .. Enumerable.Range(2, input.NDim - 2)] : null;
        RecordOrRelease(output, "NativeBatchNormBackward0", input, x, saveMean, saveInvstd, weight, bias, affineShape, affineShape, statisticDims,
            (gradInput, gradWeight, gradBias, gradOutput, savedInput, w, mean, invstd) => Backend.For(savedInput).BatchNormBackward(
                gradInput, gradWeight, gradBias, gradOutput, savedInput, w, mean, invstd, batch, channels, plane, training));
        return output;
    }

    /// <summary>Layer norm over the trailing dims <paramref name="normalizedShape"/>; weight and bias have that shape and the input's dtype.</summary>
    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight, Tensor? bias, double eps)
    {
        long cols = Shapes.Numel(normalizedShape), rows = input.Numel() / cols;
        var (x, output, saveMean, saveRstd) = Prepare(input, rows);
        Backend.For(input).LayerNormForward(output, saveMean, saveRstd, x, weight, bias, rows, cols, eps);
        int n = normalizedShape.Length;
        long[] statisticShape = [.. input.Shape[..^n], .. Enumerable.Repeat(1L, n)];
        int[] statisticDims = Enumerable.Range(input.NDim - n, n).ToArray();
        RecordOrRelease(output, "NativeLayerNormBackward0", input, x, saveMean, saveRstd, weight, bias, statisticShape, normalizedShape, statisticDims,
            (gradInput, gradWeight, gradBias, gradOutput, savedInput, w, mean, rstd) => Backend.For(savedInput).LayerNormBackward(
                gradInput, gradWeight, gradBias, gradOutput, savedInput, w, mean, rstd, rows, cols));
        return output;
    }

    /// <summary>The contiguous input the kernels read, the output, and the two statistics (count of them each) in the accumulation type.</summary>
    static (Tensor X, Tensor Output, Tensor Mean, Tensor Scale) Prepare(Tensor input, long statistics)
    {
        Tensor x;
        using (GradMode.Set(false)) x = input.Detach().Contiguous();
        var type = AccumulationType(input.DType);
        return (x, Tensor.Empty(input.ShapeRef, input.DType, input.Device), Tensor.Empty([statistics], type, input.Device), Tensor.Empty([statistics], type, input.Device));
    }

    /// <summary>The backend call that fills the wanted gradients (null ones are not wanted) from the saved input and statistics.</summary>
    delegate void FusedBackward(Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Tensor? weight, Tensor mean, Tensor scale);

    /// <summary>
    /// Records the op's backward when any of input, weight and bias requires grad: it saves the contiguous input x,
    /// the statistics (mean and 1 / std, shaped as statisticShape for the composed formula) and the weight, and calls
    /// the fused backward, or the composed formula under create_graph. Otherwise x and the statistics are released
    /// at once rather than by finalizer.
    /// </summary>
    static void RecordOrRelease(Tensor output, string name, Tensor input, Tensor x, Tensor mean, Tensor scale, Tensor? weight, Tensor? bias,
        long[] statisticShape, long[] affineShape, int[]? statisticDims, FusedBackward backward)
    {
        var inputs = Inputs(input, weight, bias);
        if (!Graph.ShouldRecord(inputs))
        {
            x.Dispose();
            mean.Dispose();
            scale.Dispose();
            return;
        }
        var biasShape = bias?.Shape;
        var biasType = bias?.DType;
        Graph.Record(output, name, inputs, weight != null ? [x, mean, scale, weight] : [x, mean, scale], (g, s, needs) =>
        {
            var w = weight != null ? s[3] : null;
            if (GradMode.IsEnabled)
                return ComposedGradients(g, s[0], s[1].View(statisticShape), s[2].View(statisticShape), w, biasShape, affineShape, statisticDims, needs);
            var gradInput = needs[0] ? Tensor.Empty(s[0].ShapeRef, s[0].DType, s[0].Device) : null;
            var gradWeight = w != null && needs[1] ? Tensor.Empty(w.ShapeRef, w.DType, w.Device) : null;
            var gradBias = biasShape != null && needs[^1] ? Tensor.Empty(biasShape, biasType!.Value, s[0].Device) : null;
            backward(gradInput, gradWeight, gradBias, ContiguousGradient(g, s[0]), s[0], w, s[1], s[2]);
            return Present(gradInput, w != null, gradWeight, biasShape != null, gradBias);
        });
    }

    static Tensor[] Inputs(Tensor input, Tensor? weight, Tensor? bias) => (weight, bias) switch
    {
        (null, null) => [input],
        (not null, null) => [input, weight],
        (null, not null) => [input, bias],
        _ => [input, weight, bias],
    };

    static Tensor ContiguousGradient(Tensor g, Tensor x)
    {
        using (GradMode.Set(false)) return g.Detach().To(x.DType).Contiguous();
    }

    /// <summary>The gradients in the order of the recorded inputs: x, then weight and bias where they were given.</summary>
    static Tensor?[] Present(Tensor? gradInput, bool hasWeight, Tensor? gradWeight, bool hasBias, Tensor? gradBias) => (hasWeight, hasBias) switch
    {
        (false, false) => [gradInput],
        (true, false) => [gradInput, gradWeight],
        (false, true) => [gradInput, gradBias],
        _ => [gradInput, gradWeight, gradBias],
    };

    /// <summary>
    /// create_graph: the composition's gradient formula on xhat and 1 / std rebuilt from the saved input and
    /// statistics (constants, as the composition saves them), so the gradients can be differentiated again.
    /// </summary>
    static Tensor?[] ComposedGradients(Tensor g, Tensor x, Tensor mean, Tensor invStd, Tensor? weight, long[]? biasShape, long[] affineShape, int[]? statisticDims, bool[] needs)
    {
        Tensor xhat, scale;
        using (GradMode.Set(false))
        {
            // half inputs: xhat and 1 / std in the input's dtype, as the composition computes them
            xhat = ((x - mean) * invStd).To(x.DType);
            scale = invStd.To(x.DType);
        }
        var grads = Normalization.Gradients(g, xhat, scale, weight, biasShape, affineShape, statisticDims, needs);
        // a float32 weight promotes a half input's gradient
        if (grads[0] is { } gradInput && gradInput.DType != x.DType) grads[0] = gradInput.To(x.DType);
        return grads;
    }
}
