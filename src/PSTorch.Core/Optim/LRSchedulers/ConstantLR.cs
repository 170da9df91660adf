namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.ConstantLR: the lr is scaled by <c>factor</c> for the first <c>totalIters</c> epochs, then
/// goes back to the initial lr.
/// </summary>
public sealed class ConstantLR : LRScheduler
{
    public ConstantLR(Optimizer optimizer, double factor = 1.0 / 3, long totalIters = 5, long lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        if (factor > 1.0 || factor < 0) throw new ArgumentException("Constant multiplicative factor expected to be between 0 and 1.");
        Factor = factor;
        TotalIters = totalIters;
        InitialStep();
    }

    public double Factor { get; }
    public long TotalIters { get; }

    protected override double[] GetLr() => Groups.Select(g =>
        LastEpoch == 0 ? g.LearningRate * Factor
        : LastEpoch != TotalIters ? g.LearningRate
        : g.LearningRate * (1.0 / Factor)).ToArray();

    protected override double[]? ClosedFormLr() => FromBase(lr => lr * (Factor + (LastEpoch >= TotalIters ? 1 - Factor : 0)));
}
