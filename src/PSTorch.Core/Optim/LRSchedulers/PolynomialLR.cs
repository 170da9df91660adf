namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.PolynomialLR: the lr decays as (1 - t / totalIters)^power of the initial lr over
/// <c>totalIters</c> epochs (reaching 0), then stays.
/// </summary>
public sealed class PolynomialLR : LRScheduler
{
    public PolynomialLR(Optimizer optimizer, long totalIters = 5, double power = 1.0, long lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        TotalIters = totalIters;
        Power = power;
        InitialStep();
    }

    public long TotalIters { get; }
    public double Power { get; }

    protected override double[] GetLr()
    {
        if (LastEpoch == 0 || LastEpoch > TotalIters) return Groups.Select(g => g.LearningRate).ToArray();
        double decay = Math.Pow((1.0 - (double)LastEpoch / TotalIters) / (1.0 - (double)(LastEpoch - 1) / TotalIters), Power);
        return Groups.Select(g => g.LearningRate * decay).ToArray();
    }

    protected override double[]? ClosedFormLr() =>
        FromBase(lr => lr * Math.Pow(1.0 - (double)Math.Min(TotalIters, LastEpoch) / TotalIters, Power));
}
