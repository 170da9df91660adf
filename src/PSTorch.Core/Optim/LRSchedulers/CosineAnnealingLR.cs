namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.CosineAnnealingLR: lr follows eta_min + (base_lr - eta_min)(1 + cos(pi t / T_max)) / 2,
/// computed like PyTorch by the recursive form from the current lr (so it composes with other changes to the lr),
/// and past T_max rises again along the cosine.
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin = 0, long lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        TMax = tMax;
        EtaMin = etaMin;
        InitialStep();
    }

    public long TMax { get; }
    public double EtaMin { get; }

    protected override double[] GetLr()
    {
        long t = LastEpoch;
        var lrs = new double[Groups.Count];
        for (int i = 0; i < lrs.Length; i++)
        {
            double lr = Groups[i].LearningRate, baseLr = BaseLrs[i];
            lrs[i] = t == 0 ? lr
                : StepCount == 1 && t > 0 ? EtaMin + (baseLr - EtaMin) * (1 + Math.Cos(t * Math.PI / TMax)) / 2
                : (t - 1 - TMax) % (2 * TMax) == 0 ? lr + (baseLr - EtaMin) * (1 - Math.Cos(Math.PI / TMax)) / 2
                : (1 + Math.Cos(Math.PI * t / TMax)) / (1 + Math.Cos(Math.PI * (t - 1) / TMax)) * (lr - EtaMin) + EtaMin;
        }
        return lrs;
    }

    protected override double[]? ClosedFormLr() => FromBase(lr => EtaMin + (lr - EtaMin) * (1 + Math.Cos(Math.PI * LastEpoch / TMax)) / 2);
}
