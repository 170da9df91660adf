namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.SequentialLR: runs <c>schedulers[0]</c> until the first milestone epoch, then the next
/// one (restarted at its epoch 0 with its closed-form lr), and so on: e.g. a LinearLR warm-up followed by cosine annealing.
/// </summary>
public sealed class SequentialLR : LRScheduler
{
    readonly LRScheduler[] schedulers;
    readonly long[] milestones;

    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<long> milestones, long lastEpoch = -1)
        : base(optimizer, lastEpoch + 1)
    {
        if (schedulers.Count < 1) throw new ArgumentException("SequentialLR expects at least one scheduler, but got no scheduler.");
        for (int i = 0; i < schedulers.Count; i++)
        {
            if (schedulers[i] is ReduceLROnPlateau)
                throw new ArgumentException($"SequentialLR does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when calling `step`, but got one at index {i} in the given schedulers sequence.");
            if (!ReferenceEquals(schedulers[i].Optimizer, optimizer))
                throw new ArgumentException($"SequentialLR expects all schedulers to belong to the same optimizer, but got scheduler {schedulers[i].GetType().Name} at index {i} has a different optimizer than {optimizer.GetType().Name}.");
        }
        if (milestones.Count != schedulers.Count - 1)
            throw new ArgumentException($"Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers {schedulers.Count} and the number of milestones to be equal to {milestones.Count}");
        this.schedulers = schedulers.ToArray();
        this.milestones = milestones.ToArray();

        // as PyTorch: back to the initial lrs, undo the step each scheduler's constructor took, then start the first one
        foreach (var g in Groups) g.LearningRate = g.GetDouble("initial_lr");
        foreach (var s in this.schedulers) s.UndoStep();
        this.schedulers[0].RestartStepCount();
        BaseLrs = Groups.Select(g => g.GetDouble("initial_lr")).ToArray();
        SetLastLr();
    }

    public IReadOnlyList<LRScheduler> Schedulers => schedulers;
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

    /// <summary>The groups' current learning rates: the active scheduler sets them.</summary>
    protected override double[] GetLr() => Groups.Select(g => g.LearningRate).ToArray();

    /// <summary>PyTorch's keys plus "_schedulers", the state of each scheduler in order.</summary>
    public override Dictionary<string, object> StateDict()
    {
        var state = base.StateDict();
        state["_milestones"] = milestones.ToArray();
        state["_schedulers"] = schedulers.Select(s => (object)s.StateDict()).ToArray();
        return state;
    }

    public override void LoadStateDict(IReadOnlyDictionary<string, object> stateDict)
    {
        base.LoadStateDict(stateDict);
        var states = ((System.Collections.IEnumerable)stateDict["_schedulers"]).Cast<IReadOnlyDictionary<string, object>>().ToArray();
        if (states.Length != schedulers.Length)
            throw new ArgumentException($"loaded state dict has {states.Length} schedulers, this SequentialLR has {schedulers.Length}");
        for (int i = 0; i < states.Length; i++) schedulers[i].LoadStateDict(states[i]);
    }
}
