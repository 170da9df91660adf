namespace PSTorch.Optim;

/// <summary>What LambdaLR and MultiplicativeLR share: a function of the epoch per parameter group (or one for all groups).</summary>
public abstract class LambdaScheduler : LRScheduler
{
    private protected readonly Func<long, double>[] lrLambdas;

    private protected LambdaScheduler(Optimizer optimizer, IReadOnlyList<Func<long, double>> lrLambdas, long lastEpoch) : base(optimizer, lastEpoch)
    {
        if (lrLambdas.Count != Groups.Count) throw new ArgumentException($"Expected {Groups.Count} lr_lambdas, but got {lrLambdas.Count}");
        this.lrLambdas = lrLambdas.ToArray();
        InitialStep();
    }

    private protected static Func<long, double>[] ForEveryGroup(Optimizer optimizer, Func<long, double> lrLambda) =>
        Enumerable.Repeat(lrLambda, optimizer.ParamGroups.Count).ToArray();
}

/// <summary>
/// torch.optim.lr_scheduler.LambdaLR: each group's lr is its initial lr times a function of the epoch (one function
/// for all groups, or one per group).
/// </summary>
public sealed class LambdaLR : LambdaScheduler
{
    public LambdaLR(Optimizer optimizer, Func<long, double> lrLambda, long lastEpoch = -1)
        : base(optimizer, ForEveryGroup(optimizer, lrLambda), lastEpoch) { }

    /// <summary>One function per parameter group.</summary>
    public LambdaLR(Optimizer optimizer, IReadOnlyList<Func<long, double>> lrLambda, long lastEpoch = -1) : base(optimizer, lrLambda, lastEpoch) { }

    protected override double[] GetLr() => BaseLrs.Select((lr, i) => lr * lrLambdas[i](LastEpoch)).ToArray();
}

/// <summary>
/// torch.optim.lr_scheduler.MultiplicativeLR: each epoch after the first multiplies the groups' current lr by a function
/// of the epoch (one function for all groups, or one per group).
/// </summary>
public sealed class MultiplicativeLR : LambdaScheduler
{
    public MultiplicativeLR(Optimizer optimizer, Func<long, double> lrLambda, long lastEpoch = -1)
        : base(optimizer, ForEveryGroup(optimizer, lrLambda), lastEpoch) { }

    /// <summary>One function per parameter group.</summary>
    public MultiplicativeLR(Optimizer optimizer, IReadOnlyList<Func<long, double>> lrLambda, long lastEpoch = -1) : base(optimizer, lrLambda, lastEpoch) { }

    protected override double[] GetLr() =>
        Groups.Select((g, i) => LastEpoch > 0 ? g.LearningRate * lrLambdas[i](LastEpoch) : g.LearningRate).ToArray();
}
