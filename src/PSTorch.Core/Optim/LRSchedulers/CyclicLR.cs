namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.CyclicLR (stepped after every batch): the lr cycles between base_lr and max_lr, rising over
/// <c>stepSizeUp</c> steps and falling over <c>stepSizeDown</c>, the amplitude scaled per cycle ("triangular": 1,
/// "triangular2": halved each cycle) or per step ("exp_range": gamma^step), or by a custom scale function. With
/// cycle_momentum the momentum (or Adam's beta1) moves the opposite way between base_momentum and max_momentum.
/// </summary>
public sealed class CyclicLR : LRScheduler
{
    readonly double[] maxLrs;
    readonly double[] baseMomentums;
    readonly double[] maxMomentums;
    readonly Func<double, double> scaleFn;
    readonly CycledMomentum? momentum;

    public CyclicLR(Optimizer optimizer, double baseLr, double maxLr, long stepSizeUp = 2000, long? stepSizeDown = null, string mode = "triangular",
        double gamma = 1.0, Func<double, double>? scaleFn = null, string scaleMode = "cycle", bool cycleMomentum = true,
        double baseMomentum = 0.8, double maxMomentum = 0.9, long lastEpoch = -1)
        : this(optimizer, Enumerable.Repeat(baseLr, optimizer.ParamGroups.Count).ToArray(), Enumerable.Repeat(maxLr, optimizer.ParamGroups.Count).ToArray(),
            stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum, lastEpoch) { }

    /// <summary>One base_lr and max_lr per parameter group.</summary>
    public CyclicLR(Optimizer optimizer, IReadOnlyList<double> baseLr, IReadOnlyList<double> maxLr, long stepSizeUp = 2000, long? stepSizeDown = null,
        string mode = "triangular", double gamma = 1.0, Func<double, double>? scaleFn = null, string scaleMode = "cycle", bool cycleMomentum = true,
        double baseMomentum = 0.8, double maxMomentum = 0.9, long lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        if (baseLr.Count != Groups.Count) throw new ArgumentException($"expected {Groups.Count} values for base_lr, got {baseLr.Count}");
        if (maxLr.Count != Groups.Count) throw new ArgumentException($"expected {Groups.Count} values for max_lr, got {maxLr.Count}");
        if (mode is not ("triangular" or "triangular2" or "exp_range") && scaleFn == null) throw new ArgumentException("mode is invalid and scale_fn is None");
        if (lastEpoch == -1)
            for (int i = 0; i < Groups.Count; i++) Groups[i].LearningRate = baseLr[i];
        this.maxLrs = maxLr.ToArray();
        double up = stepSizeUp, down = stepSizeDown ?? stepSizeUp;
        TotalSize = up + down;
        StepRatio = up / TotalSize;
        Mode = mode;
        Gamma = gamma;
        (this.scaleFn, ScaleMode) = scaleFn != null ? (scaleFn, scaleMode) : mode switch
        {
            "triangular" => ((Func<double, double>)(_ => 1.0), "cycle"),
            "triangular2" => (x => 1 / Math.Pow(2.0, x - 1), "cycle"),
            _ => (x => Math.Pow(gamma, x), "iterations"),
        };
        CycleMomentum = cycleMomentum;
        baseMomentums = Enumerable.Repeat(baseMomentum, Groups.Count).ToArray();
        maxMomentums = Enumerable.Repeat(maxMomentum, Groups.Count).ToArray();
        if (cycleMomentum) momentum = new CycledMomentum(optimizer, baseMomentum, maxMomentum, lastEpoch);
        InitialStep();
    }

    public double TotalSize { get; }
    public double StepRatio { get; }
    public string Mode { get; }
    public double Gamma { get; }
    public string ScaleMode { get; }
    public bool CycleMomentum { get; }
    public IReadOnlyList<double> MaxLrs => maxLrs;
    public override SchedulerInterval Interval => SchedulerInterval.Batch;

    protected override double[] GetLr()
    {
        double cycle = Math.Floor(1 + LastEpoch / TotalSize);
        double x = 1.0 + LastEpoch / TotalSize - cycle;
        double scaleFactor = x <= StepRatio ? x / StepRatio : (x - 1) / (StepRatio - 1);
        double scale = scaleFn(ScaleMode == "cycle" ? cycle : LastEpoch);
        var lrs = BaseLrs.Select((baseLr, i) => baseLr + (maxLrs[i] - baseLr) * scaleFactor * scale).ToArray();
        if (momentum != null)
            for (int i = 0; i < Groups.Count; i++)
                momentum.Set(Groups[i], maxMomentums[i] - (maxMomentums[i] - baseMomentums[i]) * scaleFactor * scale);
        return lrs;
    }
}
