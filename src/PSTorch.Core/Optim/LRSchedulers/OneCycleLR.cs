namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.OneCycleLR (stepped after every batch): the lr rises from max_lr / div_factor to max_lr
/// over the first pct_start of the steps, then anneals to initial_lr / final_div_factor (with three_phase: back down to
/// the initial lr first, then to the minimum). With cycle_momentum the momentum (or Adam's beta1) moves the opposite way
/// between base_momentum and max_momentum.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    readonly record struct Phase(double EndStep, string StartLr, string EndLr, string StartMomentum, string EndMomentum);

    readonly Phase[] phases;
    readonly CycledMomentum? momentum;

    public OneCycleLR(Optimizer optimizer, double maxLr, long? totalSteps = null, long? epochs = null, long? stepsPerEpoch = null,
        double pctStart = 0.3, string annealStrategy = "cos", bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95,
        double divFactor = 25.0, double finalDivFactor = 1e4, bool threePhase = false, long lastEpoch = -1)
        : this(optimizer, Enumerable.Repeat(maxLr, optimizer.ParamGroups.Count).ToArray(), totalSteps, epochs, stepsPerEpoch, pctStart,
            annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase, lastEpoch) { }

    /// <summary>One max_lr per parameter group.</summary>
    public OneCycleLR(Optimizer optimizer, IReadOnlyList<double> maxLr, long? totalSteps = null, long? epochs = null, long? stepsPerEpoch = null,
        double pctStart = 0.3, string annealStrategy = "cos", bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95,
        double divFactor = 25.0, double finalDivFactor = 1e4, bool threePhase = false, long lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        if (totalSteps is { } total)
        {
            if (total <= 0) throw new ArgumentException($"Expected positive integer total_steps, but got {total}");
            TotalSteps = total;
        }
        else if (epochs is { } e && stepsPerEpoch is { } s)
        {
            if (e <= 0) throw new ArgumentException($"Expected positive integer epochs, but got {e}");
            if (s <= 0) throw new ArgumentException($"Expected positive integer steps_per_epoch, but got {s}");
            TotalSteps = e * s;
        }
        else throw new ArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        if (pctStart < 0 || pctStart > 1) throw new ArgumentException($"Expected float between 0 and 1 pct_start, but got {pctStart}");
        AnnealStrategy = annealStrategy switch
        {
            "cos" or "linear" => annealStrategy,
            _ => throw new ArgumentException($"anneal_strategy must be one of 'cos' or 'linear', instead got {annealStrategy}"),
        };
        if (maxLr.Count != Groups.Count) throw new ArgumentException($"expected {Groups.Count} values for max_lr, got {maxLr.Count}");
        CycleMomentum = cycleMomentum;

        phases = threePhase
            ?
            [
                new(pctStart * TotalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new(2 * pctStart * TotalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                new(TotalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
            :
            [
                new(pctStart * TotalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new(TotalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ];

        if (lastEpoch == -1)
        {
            for (int i = 0; i < Groups.Count; i++)
            {
                double initialLr = maxLr[i] / divFactor;
                Groups[i]["initial_lr"] = initialLr;
                Groups[i]["max_lr"] = maxLr[i];
                Groups[i]["min_lr"] = initialLr / finalDivFactor;
            }
        }
        if (cycleMomentum) momentum = new CycledMomentum(optimizer, baseMomentum, maxMomentum, lastEpoch);
        InitialStep();
    }

    public long TotalSteps { get; }
    public string AnnealStrategy { get; }
    public bool CycleMomentum { get; }
    public override SchedulerInterval Interval => SchedulerInterval.Batch;

    double Anneal(double start, double end, double pct) => AnnealStrategy == "cos"
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;

    protected override double[] GetLr()
    {
        long stepNum = LastEpoch;
        if (stepNum > TotalSteps)
            throw new InvalidOperationException($"Tried to step {stepNum} times. The specified number of total steps is {TotalSteps}");
        var lrs = new double[Groups.Count];
        for (int gi = 0; gi < lrs.Length; gi++)
        {
            var g = Groups[gi];
            double startStep = 0;
            for (int i = 0; i < phases.Length; i++)
            {
                var phase = phases[i];
                if (stepNum <= phase.EndStep || i == phases.Length - 1)
                {
                    double pct = (stepNum - startStep) / (phase.EndStep - startStep);
                    lrs[gi] = Anneal(g.GetDouble(phase.StartLr), g.GetDouble(phase.EndLr), pct);
                    momentum?.Set(g, Anneal(g.GetDouble(phase.StartMomentum), g.GetDouble(phase.EndMomentum), pct));
                    break;
                }
                startStep = phase.EndStep;
            }
        }
        return lrs;
    }
}
