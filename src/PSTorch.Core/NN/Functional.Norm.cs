using PSTorch.Autograd;
using PSTorch.Ops;

namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>
    /// Batch normalisation over every dim but 1 (channels). In training (or without running stats) it uses the
    /// batch mean and biased variance and, when given, updates runningMean/runningVar in place with
    /// (1 - momentum) * running + momentum * batch statistic (the unbiased variance for runningVar).
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        if (input.NDim < 2) throw new ArgumentException($"batch_norm: expected 2D or more input, but got input of size: {Shapes.Format(input.ShapeRef)}");
        long channels = input.Size(1);
        long[] affineShape = [channels, .. Enumerable.Repeat(1L, input.NDim - 2)];
        foreach (var (t, what) in new[] { (runningMean, "running_mean"), (runningVar, "running_var"), (weight, "weight"), (bias, "bias") })
            if (t != null && t.Numel() != channels)
                throw new ArgumentException($"{what} should contain {channels} elements not {t.Numel()}");
        if (!training)
        {
            if (runningMean == null || runningVar == null) throw new ArgumentException("running_mean and running_var must be defined in evaluation mode");
            if (FusedNormalization.SupportsBatchNorm(input, runningMean, runningVar, weight, bias))
                return FusedNormalization.BatchNorm(input, runningMean, runningVar, weight, bias, training: false, momentum, eps);
            return Normalization.WithGivenStatistics("NativeBatchNormBackward0", input, runningMean.View(affineShape), runningVar.View(affineShape), eps, weight, bias, affineShape);
        }
        long perChannel = input.Numel() / Math.Max(channels, 1);
        if (perChannel == 1)
            throw new ArgumentException($"Expected more than 1 value per channel when training, got input size torch.Size({Shapes.Format(input.ShapeRef)})");
        if (FusedNormalization.SupportsBatchNorm(input, runningMean, runningVar, weight, bias))
            return FusedNormalization.BatchNorm(input, runningMean, runningVar, weight, bias, training: true, momentum, eps);
        int[] dims = [0, .. Enumerable.Range(2, input.NDim - 2)];
        var (y, mean, variance) = Normalization.WithInputStatistics("NativeBatchNormBackward0", input, dims, eps, weight, bias, affineShape);
        using (GradMode.Set(false))
        {
            if (runningMean != null) runningMean.Mul_(1 - momentum).Add_(mean.View(channels) * momentum);
            if (runningVar != null) runningVar.Mul_(1 - momentum).Add_(variance.View(channels) * (momentum * perChannel / (perChannel - 1)));
        }
        return y;
    }

    /// <summary>Normalises over the last normalizedShape.Length dims, each sample with its own mean and biased variance.</summary>
    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        // weight and bias follow by promotion
        input = Amp.Autocast.Cast("layer_norm", input);
        int n = normalizedShape.Length;
        bool matches = n >= 1 && input.NDim >= n && input.Shape[^n..].SequenceEqual(normalizedShape);
        if (!matches)
            throw new ArgumentException($"Given normalized_shape={Shapes.Format(normalizedShape)}, expected input with shape [*, {string.Join(", ", normalizedShape)}], but got input of size{Shapes.Format(input.ShapeRef)}");
        foreach (var t in new[] { weight, bias })
            if (t != null && !t.Shape.SequenceEqual(normalizedShape))
                throw new ArgumentException($"Expected weight and bias to have shape {Shapes.Format(normalizedShape)}, but got {Shapes.Format(t.ShapeRef)}");
        if (FusedNormalization.SupportsLayerNorm(input, weight, bias)) return FusedNormalization.LayerNorm(input, normalizedShape, weight, bias, eps);
        int[] dims = Enumerable.Range(input.NDim - n, n).ToArray();
        return Normalization.WithInputStatistics("NativeLayerNormBackward0", input, dims, eps, weight, bias, normalizedShape).Output;
    }
}
