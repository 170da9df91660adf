namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.SequentialLR: runs <c>schedulers[0]</c> until the first milestone epoch, then the next
/// one (restarted at its epoch 0 with its closed-form lr), and so on: e.g. a LinearLR warm-up followed by cosine annealing.
/// </summary>
public sealed class SequentialLR : SchedulerComposition
{
    readonly long[] milestones;

    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<long> milestones, long lastEpoch = -1)
        : base(optimizer, lastEpoch + 1, schedulers, RefusePlateau)
    {
        if (schedulers.Count < 1) throw new ArgumentException("SequentialLR expects at least one scheduler, but got no scheduler.");
        if (milestones.Count != schedulers.Count - 1)
            throw new ArgumentException($"Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers {schedulers.Count} and the number of milestones to be equal to {milestones.Count}");
        this.milestones = milestones.ToArray();

        // as PyTorch: back to the initial lrs, undo the step each scheduler's constructor took, then start the first one
        foreach (var g in Groups) g.LearningRate = g.GetDouble("initial_lr");
        foreach (var s in this.schedulers) s.UndoStep();
        this.schedulers[0].RestartStepCount();
        BaseLrs = Groups.Select(g => g.GetDouble("initial_lr")).ToArray();
        SetLastLr();
    }

    static void RefusePlateau(LRScheduler scheduler, int index)
    {
        if (scheduler is ReduceLROnPlateau)
            throw new ArgumentException($"SequentialLR does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when calling `step`, but got one at index {index} in the given schedulers sequence.");
    }

    public IReadOnlyList<long> Milestones => milestones;

    public override void Step()
    {
        LastEpoch++;
        int index = milestones.Count(m => m <= LastEpoch);
        var scheduler = schedulers[index];
        if (index > 0 && milestones[index - 1] == LastEpoch) scheduler.StepTo(0);
        else scheduler.Step();
        SetLastLr();
    }

    /// <summary>PyTorch's keys plus "_schedulers", the state of each scheduler in order.</summary>
    public override Dictionary<string, object> StateDict()
    {
        var state = base.StateDict();
        state["_milestones"] = milestones.ToArray();
        return state;
    }
}
