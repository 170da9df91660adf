using PSTorch.Autograd;

namespace PSTorch.NN;

/// <summary>
/// What BatchNorm1d and BatchNorm2d share (PyTorch's _BatchNorm): weight (ones) and bias (zeros) when affine, the
/// running_mean/running_var/num_batches_tracked buffers when tracking running stats, and the forward that picks
/// batch or running statistics. momentum null means a cumulative average (factor 1 / num_batches_tracked).
/// </summary>
public abstract class BatchNorm : Module
{
    private protected BatchNorm(long numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType? dtype, Device? device)
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

    /// <summary>Throws PyTorch's error for an input of the wrong rank.</summary>
    private protected abstract void CheckInputDim(Tensor input);

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

    public override string ExtraRepr() =>
        $"{NumFeatures}, eps={PythonFormat.Float(Eps)}, momentum={(Momentum is { } m ? PythonFormat.Float(m) : "None")}, affine={PythonFormat.Bool(Affine)}, track_running_stats={PythonFormat.Bool(TrackRunningStats)}";
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
