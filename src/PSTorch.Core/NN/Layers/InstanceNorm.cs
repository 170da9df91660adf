using PSTorch.Autograd;

namespace PSTorch.NN;

/// <summary>
/// What InstanceNorm1d and InstanceNorm2d share (PyTorch's _InstanceNorm): no affine and no running stats by default;
/// an unbatched input (one dim fewer) is normalised as a batch of one.
/// </summary>
public abstract class InstanceNorm(long numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType? dtype, Device? device)
    : NormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    /// <summary>The rank of a batched input (3 for 1d, 4 for 2d).</summary>
    private protected abstract int BatchedDim { get; }

    public override Tensor Forward(Tensor input)
    {
        if (input.NDim != BatchedDim && input.NDim != BatchedDim - 1)
            throw new ArgumentException($"expected {BatchedDim - 1}D or {BatchedDim}D input (got {input.NDim}D input)");
        int featureDim = input.NDim - (BatchedDim - 1);
        if (input.Size(featureDim) != NumFeatures && Affine)
            throw new ArgumentException($"expected input's size at dim={featureDim} to match num_features ({NumFeatures}), but got: {input.Size(featureDim)}.");
        bool unbatched = input.NDim == BatchedDim - 1;
        var batched = unbatched ? input.Unsqueeze(0) : input;
        if (Training && TrackRunningStats && NumBatchesTracked is { } count)
            using (GradMode.Set(false)) count.Add_(1);
        var y = Functional.InstanceNorm(batched, RunningMean, RunningVar, Weight, Bias, Training || !TrackRunningStats, Momentum ?? 0, Eps);
        return unbatched ? y.Squeeze(0) : y;
    }
}

/// <summary>torch.nn.InstanceNorm1d: input [N, C, L] or unbatched [C, L].</summary>
public class InstanceNorm1d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = false, bool trackRunningStats = false, DType? dtype = null, Device? device = null)
    : InstanceNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    private protected override int BatchedDim => 3;
}

/// <summary>torch.nn.InstanceNorm2d: input [N, C, H, W] or unbatched [C, H, W].</summary>
public class InstanceNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = false, bool trackRunningStats = false, DType? dtype = null, Device? device = null)
    : InstanceNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    private protected override int BatchedDim => 4;
}
