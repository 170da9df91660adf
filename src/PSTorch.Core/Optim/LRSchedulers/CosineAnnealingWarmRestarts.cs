namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.CosineAnnealingWarmRestarts (SGDR): the lr follows
/// eta_min + (base_lr - eta_min)(1 + cos(pi T_cur / T_i)) / 2 and restarts at base_lr when T_cur reaches T_i; the period
/// starts at T_0 and is multiplied by T_mult at each restart.
/// </summary>
public sealed class CosineAnnealingWarmRestarts : LRScheduler
{
    public CosineAnnealingWarmRestarts(Optimizer optimizer, long t0, long tMult = 1, double etaMin = 0, long lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        if (t0 <= 0) throw new ArgumentException($"Expected positive integer T_0, but got {t0}");
        if (tMult < 1) throw new ArgumentException($"Expected integer T_mult >= 1, but got {tMult}");
        T0 = t0;
        TI = t0;
        TMult = tMult;
        EtaMin = etaMin;
        TCur = lastEpoch;
        InitialStep();
    }

    public long T0 { get; }
    public long TMult { get; }
    public double EtaMin { get; }

    /// <summary>The length of the current period (PyTorch's T_i).</summary>
    public long TI { get; private set; }

    /// <summary>Epochs since the last restart (PyTorch's T_cur).</summary>
    public long TCur { get; private set; }

    public override void Step()
    {
        StepCount++;
        if (LastEpoch < 0)
        {
            // PyTorch's first step is step(epoch=0): the first period from its start
            TI = T0;
            TCur = 0;
        }
        else if (++TCur >= TI)
        {
            TCur -= TI;
            TI *= TMult;
        }
        LastEpoch++;
        SetLr(GetLr());
    }

    protected override double[] GetLr() => FromBase(lr => EtaMin + (lr - EtaMin) * (1 + Math.Cos(Math.PI * TCur / TI)) / 2);

    public override Dictionary<string, object> StateDict()
    {
        var state = base.StateDict();
        state["T_i"] = TI;
        state["T_cur"] = TCur;
        return state;
    }

    public override void LoadStateDict(IReadOnlyDictionary<string, object> stateDict)
    {
        base.LoadStateDict(stateDict);
        TI = ToLong(stateDict["T_i"]);
        TCur = ToLong(stateDict["T_cur"]);
    }
}
