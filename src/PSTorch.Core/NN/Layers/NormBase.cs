using PSTorch.Autograd;

namespace PSTorch.NN;

/// <summary>
/// What batch and instance normalisation share (PyTorch's _NormBase): weight (ones) and bias (zeros) when affine, the
/// running_mean/running_var/num_batches_tracked buffers when tracking running stats, and their repr.
/// momentum null means a cumulative average in BatchNorm and no update in InstanceNorm, as in PyTorch.
/// </summary>
public abstract class NormBase : Module
{
    private protected NormBase(long numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType? dtype, Device? device)
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
    public double? Momentum { get; }
    public bool Affine { get; }
    public bool TrackRunningStats { get; }
    public Parameter? Weight { get; }
    public Parameter? Bias { get; }
    public Tensor? RunningMean => GetBuffer("running_mean");
    public Tensor? RunningVar => GetBuffer("running_var");
    public Tensor? NumBatchesTracked => GetBuffer("num_batches_tracked");

    /// <summary>Running stats back to mean 0, variance 1 and no batches seen.</summary>
    public void ResetRunningStats()
    {
        using (GradMode.Set(false))
        {
            RunningMean?.Zero_();
            RunningVar?.Fill_(1);
            NumBatchesTracked?.Zero_();
        }
    }

    public override string ExtraRepr() =>
        $"{NumFeatures}, eps={PythonFormat.Float(Eps)}, momentum={(Momentum is { } m ? PythonFormat.Float(m) : "None")}, affine={PythonFormat.Bool(Affine)}, track_running_stats={PythonFormat.Bool(TrackRunningStats)}";
}
