namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.ChainedScheduler: steps every scheduler of the chain, in order, at each Step, so their
/// multiplicative effects compose (each reads the lr the previous one set).
/// </summary>
public sealed class ChainedScheduler : SchedulerComposition
{
    public ChainedScheduler(IReadOnlyList<LRScheduler> schedulers, Optimizer? optimizer = null)
        : base(optimizer ?? FirstOptimizer(schedulers), 0, schedulers)
    {
        BaseLrs = Groups.Select(g => g.LearningRate).ToArray();
        SetLastLr();
    }

    static Optimizer FirstOptimizer(IReadOnlyList<LRScheduler> schedulers) =>
        schedulers.Count > 0 ? schedulers[0].Optimizer : throw new ArgumentException("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.");

    public override void Step()
    {
        foreach (var s in schedulers) s.Step();
        SetLastLr();
    }
}
