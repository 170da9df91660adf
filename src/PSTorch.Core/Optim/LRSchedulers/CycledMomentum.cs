namespace PSTorch.Optim;

/// <summary>
/// The momentum that CyclicLR and OneCycleLR cycle against the lr: SGD's momentum, or beta1 of Adam-like optimizers.
/// </summary>
internal sealed class CycledMomentum
{
    readonly bool useBeta1;

    /// <summary>Checks the optimizer has a momentum to cycle and, on a fresh start, sets every group to max_momentum.</summary>
    public CycledMomentum(Optimizer optimizer, double baseMomentum, double maxMomentum, long lastEpoch)
    {
        if (!optimizer.Defaults.ContainsKey("momentum") && !optimizer.Defaults.ContainsKey("betas"))
            throw new ArgumentException("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
        useBeta1 = optimizer.Defaults.ContainsKey("betas");
        if (lastEpoch != -1) return;
        foreach (var g in optimizer.ParamGroups)
        {
            Set(g, maxMomentum);
            g["max_momentum"] = maxMomentum;
            g["base_momentum"] = baseMomentum;
        }
    }

    public void Set(ParamGroup g, double momentum)
    {
        if (useBeta1) g["betas"] = (momentum, g.GetPair("betas").Item2);
        else g["momentum"] = momentum;
    }
}
