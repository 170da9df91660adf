using PSTorch.Autograd;

namespace PSTorch.NN;

/// <summary>
/// What InstanceNorm1d and InstanceNorm2d share (PyTorch's _InstanceNorm): no affine and no running stats by default;
/// an unbatched input (one dim fewer) is normalised as a batch of one.
/// </summary>
public abstract class InstanceNorm : Module
{
    private protected InstanceNorm(long numFeatures, double eps, double momentum, bool affine, bool trackRunningStats, DType? dtype, Device? device)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        if (affine)
        {
            Weight = new Parameter(Torch.Ones([numFeatures], dtype, device));
            Bias = new Parameter(Torch.Zeros([numFeatures], dtype, device));
            RegisterParameter("weight", Weight);
            RegisterParameter("bias", Bias);
        }
        if (trackRunningStats)
        {
            RegisterBuffer("running_mean", Torch.Zeros([numFeatures], dtype, device));
            RegisterBuffer("running_var", Torch.Ones([numFeatures], dtype, device));
            RegisterBuffer("num_batches_tracked", Torch.Zeros([], DType.Int64, device));
        }
    }

    public long NumFeatures { get; }
    public double Eps { get; }
    public double Momentum { get; }
    public bool Affine { get; }
    public bool TrackRunningStats { get; }
    public Parameter? Weight { get; }
    public Parameter? Bias { get; }
    public Tensor? RunningMean => GetBuffer("running_mean");
    public Tensor? RunningVar => GetBuffer("running_var");
    public Tensor? NumBatchesTracked => GetBuffer("num_batches_tracked");

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
        var y = Functional.InstanceNorm(batched, RunningMean, RunningVar, Weight, Bias, Training || !TrackRunningStats, Momentum, Eps);
        return unbatched ? y.Squeeze(0) : y;
    }

    public override string ExtraRepr() =>
        $"{NumFeatures}, eps={PythonFormat.Float(Eps)}, momentum={PythonFormat.Float(Momentum)}, affine={PythonFormat.Bool(Affine)}, track_running_stats={PythonFormat.Bool(TrackRunningStats)}";
}

/// <summary>torch.nn.InstanceNorm1d: input [N, C, L] or unbatched [C, L].</summary>
public class InstanceNorm1d(long numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = false, bool trackRunningStats = false, DType? dtype = null, Device? device = null)
    : InstanceNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    private protected override int BatchedDim => 3;
}

/// <summary>torch.nn.InstanceNorm2d: input [N, C, H, W] or unbatched [C, H, W].</summary>
public class InstanceNorm2d(long numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = false, bool trackRunningStats = false, DType? dtype = null, Device? device = null)
    : InstanceNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    private protected override int BatchedDim => 4;
}
