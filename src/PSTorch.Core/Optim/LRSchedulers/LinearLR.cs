namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.LinearLR: scales the lr by a factor going linearly from <c>startFactor</c> to
/// <c>endFactor</c> over <c>totalIters</c> epochs, then leaves it.
/// </summary>
public sealed class LinearLR : LRScheduler
{
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, long totalIters = 5, long lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        if (startFactor > 1 || startFactor <= 0)
            throw new ArgumentException("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
        if (endFactor > 1 || endFactor < 0)
            throw new ArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
        InitialStep();
    }

    public double StartFactor { get; }
    public double EndFactor { get; }
    public long TotalIters { get; }

    protected override double[] GetLr() => Groups.Select(g =>
        LastEpoch == 0 ? g.LearningRate * StartFactor
        : LastEpoch > TotalIters ? g.LearningRate
        : g.LearningRate * (1 + (EndFactor - StartFactor) / (TotalIters * StartFactor + (LastEpoch - 1) * (EndFactor - StartFactor)))).ToArray();

    protected override double[]? ClosedFormLr() =>
        FromBase(lr => lr * (StartFactor + (EndFactor - StartFactor) * Math.Min(TotalIters, LastEpoch) / TotalIters));
}
