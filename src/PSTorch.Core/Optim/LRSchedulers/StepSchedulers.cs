namespace PSTorch.Optim;

/// <summary>torch.optim.lr_scheduler.StepLR: multiplies the lr by gamma every <c>stepSize</c> epochs.</summary>
public sealed class StepLR : LRScheduler
{
    public StepLR(Optimizer optimizer, long stepSize, double gamma = 0.1, long lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        StepSize = stepSize;
        Gamma = gamma;
        InitialStep();
    }

    public long StepSize { get; }
    public double Gamma { get; }

    protected override double[] GetLr() => Groups.Select(g =>
        LastEpoch == 0 || LastEpoch % StepSize != 0 ? g.LearningRate : g.LearningRate * Gamma).ToArray();

    protected override double[]? ClosedFormLr() => FromBase(lr => lr * Math.Pow(Gamma, Math.Floor((double)LastEpoch / StepSize)));
}

/// <summary>torch.optim.lr_scheduler.MultiStepLR: multiplies the lr by gamma at each milestone epoch (repeated milestones count twice).</summary>
public sealed class MultiStepLR : LRScheduler
{
    readonly Dictionary<long, int> milestoneCounts;

    public MultiStepLR(Optimizer optimizer, IEnumerable<long> milestones, double gamma = 0.1, long lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        Milestones = milestones.Order().ToArray();
        milestoneCounts = Milestones.GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());
        Gamma = gamma;
        InitialStep();
    }

    public long[] Milestones { get; }
    public double Gamma { get; }

    protected override double[] GetLr() => Groups.Select(g =>
        milestoneCounts.TryGetValue(LastEpoch, out int count) ? g.LearningRate * Math.Pow(Gamma, count) : g.LearningRate).ToArray();

    protected override double[]? ClosedFormLr() => FromBase(lr => lr * Math.Pow(Gamma, Milestones.Count(m => m <= LastEpoch)));
}

/// <summary>torch.optim.lr_scheduler.ExponentialLR: multiplies the lr by gamma every epoch.</summary>
public sealed class ExponentialLR : LRScheduler
{
    public ExponentialLR(Optimizer optimizer, double gamma, long lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        Gamma = gamma;
        InitialStep();
    }

    public double Gamma { get; }

    protected override double[] GetLr() => Groups.Select(g => LastEpoch == 0 ? g.LearningRate : g.LearningRate * Gamma).ToArray();

    protected override double[]? ClosedFormLr() => FromBase(lr => lr * Math.Pow(Gamma, LastEpoch));
}
