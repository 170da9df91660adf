namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.ReduceLROnPlateau: multiplies the lr by <c>factor</c> (not below min_lr) when the metric
/// passed to <see cref="Step(double)"/> has not improved for more than <c>patience</c> epochs, then waits
/// <c>cooldown</c> epochs before counting again. Improvement is relative or absolute by <c>threshold</c>.
/// </summary>
public sealed class ReduceLROnPlateau : LRScheduler
{
    readonly double[] minLrs;

    public ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, long patience = 10, double threshold = 1e-4,
        string thresholdMode = "rel", long cooldown = 0, double minLr = 0, double eps = 1e-8)
        : this(optimizer, Enumerable.Repeat(minLr, optimizer.ParamGroups.Count).ToArray(), mode, factor, patience, threshold, thresholdMode, cooldown, eps) { }

    /// <summary>One min_lr per parameter group.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, IReadOnlyList<double> minLrs, string mode = "min", double factor = 0.1, long patience = 10,
        double threshold = 1e-4, string thresholdMode = "rel", long cooldown = 0, double eps = 1e-8)
        : base(optimizer, 0)
    {
        if (factor >= 1.0) throw new ArgumentException("Factor should be < 1.0.");
        if (minLrs.Count != Groups.Count) throw new ArgumentException($"expected {Groups.Count} min_lrs, got {minLrs.Count}");
        if (mode is not ("min" or "max")) throw new ArgumentException("mode " + mode + " is unknown!");
        if (thresholdMode is not ("rel" or "abs")) throw new ArgumentException("threshold mode " + thresholdMode + " is unknown!");
        this.minLrs = minLrs.ToArray();
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        Eps = eps;
        Best = WorstValue;
        SetLastLr();
    }

    public string Mode { get; }
    public double Factor { get; }
    public long Patience { get; }
    public double Threshold { get; }
    public string ThresholdMode { get; }
    public long Cooldown { get; }
    public double Eps { get; }
    public IReadOnlyList<double> MinLrs => minLrs;

    /// <summary>The best metric seen so far.</summary>
    public double Best { get; private set; }

    /// <summary>Epochs since the metric last improved (reset by a reduction and during cooldown).</summary>
    public long NumBadEpochs { get; private set; }

    public long CooldownCounter { get; private set; }

    public bool InCooldown => CooldownCounter > 0;

    double WorstValue => Mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>ReduceLROnPlateau needs the metric: use <see cref="Step(double)"/>.</summary>
    public override void Step() =>
        throw new InvalidOperationException("ReduceLROnPlateau.Step needs the monitored metric: call Step(metric).");

    /// <summary>Records the epoch's metric (e.g. the validation loss) and reduces the lr on a plateau.</summary>
    public void Step(double metric)
    {
        LastEpoch++;
        StepCount++;
        if (IsBetter(metric, Best))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else NumBadEpochs++;
        if (InCooldown)
        {
            CooldownCounter--;
            NumBadEpochs = 0;
        }
        if (NumBadEpochs > Patience)
        {
            ReduceLr();
            CooldownCounter = Cooldown;
            NumBadEpochs = 0;
        }
        SetLastLr();
    }

    void ReduceLr()
    {
        for (int i = 0; i < Groups.Count; i++)
        {
            double oldLr = Groups[i].LearningRate, newLr = Math.Max(oldLr * Factor, minLrs[i]);
            if (oldLr - newLr > Eps) Groups[i].LearningRate = newLr;
        }
    }

    bool IsBetter(double current, double best) => (Mode, ThresholdMode) switch
    {
        ("min", "rel") => current < best * (1 - Threshold),
        ("min", _) => current < best - Threshold,
        (_, "rel") => current > best * (Threshold + 1),
        _ => current > best + Threshold,
    };

    /// <summary>The groups' current learning rates: this scheduler only changes them on a plateau.</summary>
    protected override double[] GetLr() => Groups.Select(g => g.LearningRate).ToArray();

    public override Dictionary<string, object> StateDict()
    {
        var state = base.StateDict();
        state["best"] = Best;
        state["num_bad_epochs"] = NumBadEpochs;
        state["cooldown_counter"] = CooldownCounter;
        return state;
    }

    public override void LoadStateDict(IReadOnlyDictionary<string, object> stateDict)
    {
        base.LoadStateDict(stateDict);
        Best = ToDouble(stateDict["best"]);
        NumBadEpochs = ToLong(stateDict["num_bad_epochs"]);
        CooldownCounter = ToLong(stateDict["cooldown_counter"]);
    }
}
