using PSTorch.Autograd;

namespace PSTorch.NN;

/// <summary>
/// What BatchNorm1d, 2d and 3d share (PyTorch's _BatchNorm): the forward that picks batch or running statistics.
/// momentum null means a cumulative average (factor 1 / num_batches_tracked).
/// </summary>
public abstract class BatchNorm(long numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType? dtype, Device? device)
    : NormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    /// <summary>Throws PyTorch's error for an input of the wrong rank.</summary>
    private protected abstract void CheckInputDim(Tensor input);

    public override Tensor Forward(Tensor input)
    {
        CheckInputDim(input);
        double factor = Momentum ?? 0;
        if (Training && TrackRunningStats && NumBatchesTracked is { } count)
        {
            using (GradMode.Set(false)) count.Add_(1);
            if (Momentum == null) factor = 1.0 / count.Item<long>();
        }
        bool useBatchStats = Training || (RunningMean == null && RunningVar == null);
        bool passRunning = !Training || TrackRunningStats;
        return Functional.BatchNorm(input, passRunning ? RunningMean : null, passRunning ? RunningVar : null, Weight, Bias, useBatchStats, factor, Eps);
    }
}

/// <summary>torch.nn.BatchNorm1d: input [N, C] or [N, C, L].</summary>
public class BatchNorm1d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType? dtype = null, Device? device = null)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    private protected override void CheckInputDim(Tensor input)
    {
        if (input.NDim is not (2 or 3)) throw new ArgumentException($"expected 2D or 3D input (got {input.NDim}D input)");
    }
}

/// <summary>torch.nn.BatchNorm2d: input [N, C, H, W].</summary>
public class BatchNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType? dtype = null, Device? device = null)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    private protected override void CheckInputDim(Tensor input)
    {
        if (input.NDim != 4) throw new ArgumentException($"expected 4D input (got {input.NDim}D input)");
    }
}
