using PSTorch.Autograd;
using PSTorch.Ops;

namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>
    /// Group normalisation of [N, C, *]: the channels split into numGroups groups, each sample's group normalised with
    /// its own mean and biased variance, then the per-channel weight and bias applied.
    /// </summary>
    public static Tensor GroupNorm(Tensor input, long numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        if (input.NDim < 2) throw new ArgumentException($"Expected at least 2 dimensions for input tensor but received {input.NDim}");
        long batch = input.Size(0), channels = input.Size(1);
        if (numGroups <= 0 || channels % numGroups != 0)
            throw new ArgumentException($"Expected number of channels in input to be divisible by num_groups, but got input of shape {Shapes.Format(input.ShapeRef)} and num_groups={numGroups}");
        foreach (var (t, what) in new[] { (weight, "weight"), (bias, "bias") })
            if (t != null && (t.NDim != 1 || t.Numel() != channels))
                throw new ArgumentException($"Expected {what} to be a vector of size equal to the number of channels in input, but got {what} of shape {Shapes.Format(t.ShapeRef)} and input of shape {Shapes.Format(input.ShapeRef)}");
        var groups = input.Reshape(batch, numGroups, -1);
        var normalized = Normalization.WithInputStatistics("NativeGroupNormBackward0", groups, [2], eps, null, null, [groups.Size(2)]).Output.View(input.Shape);
        return ChannelAffine(normalized, weight, bias);
    }

    /// <summary>
    /// Instance normalisation: each sample's channel normalised over its spatial dims (useInputStats), or with the
    /// running statistics. In training the running stats take the batch mean of the instances' mean and unbiased variance.
    /// </summary>
    public static Tensor InstanceNorm(Tensor input, Tensor? runningMean = null, Tensor? runningVar = null, Tensor? weight = null, Tensor? bias = null,
        bool useInputStats = true, double momentum = 0.1, double eps = 1e-5)
    {
        if (input.NDim < 3) throw new ArgumentException($"instance_norm: expected 3D or more input, but got input of size: {Shapes.Format(input.ShapeRef)}");
        if (!useInputStats) return BatchNorm(input, runningMean, runningVar, weight, bias, training: false, momentum, eps);
        long channels = input.Size(1);
        int[] spatial = Enumerable.Range(2, input.NDim - 2).ToArray();
        long perInstance = input.Numel() / Math.Max(input.Size(0) * channels, 1);
        if (perInstance == 1)
            throw new ArgumentException($"Expected more than 1 spatial element when training, got input size torch.Size({Shapes.Format(input.ShapeRef)})");
        var (normalized, mean, variance) = Normalization.WithInputStatistics("NativeBatchNormBackward0", input, spatial, eps, null, null, input.Shape[2..]);
        using (GradMode.Set(false))
        {
            if (runningMean != null) runningMean.Mul_(1 - momentum).Add_(mean.Reshape(-1, channels).Mean(0) * momentum);
            if (runningVar != null) runningVar.Mul_(1 - momentum).Add_(variance.Reshape(-1, channels).Mean(0) * (momentum * perInstance / (perInstance - 1)));
        }
        return ChannelAffine(normalized, weight, bias);
    }

    /// <summary>y * weight + bias with one weight and bias per channel (dim 1).</summary>
    static Tensor ChannelAffine(Tensor y, Tensor? weight, Tensor? bias)
    {
        long[] channelShape = [y.Size(1), .. Enumerable.Repeat(1L, y.NDim - 2)];
        if (weight != null) y = y * weight.View(channelShape);
        if (bias != null) y = y + bias.View(channelShape);
        return y;
    }
}
