namespace PSTorch.Optim;

/// <summary>
/// What SequentialLR and ChainedScheduler share: schedulers of one optimizer that set its learning rates themselves,
/// so the composition's lr is whatever the groups hold, and its state holds each scheduler's under "_schedulers".
/// </summary>
public abstract class SchedulerComposition : LRScheduler
{
    private protected readonly LRScheduler[] schedulers;

    /// <summary><paramref name="check"/>(scheduler, index) runs a composition's own check on each scheduler before its optimizer is checked.</summary>
    private protected SchedulerComposition(Optimizer optimizer, long lastEpoch, IReadOnlyList<LRScheduler> schedulers, Action<LRScheduler, int>? check = null)
        : base(optimizer, lastEpoch)
    {
        string name = GetType().Name;
        for (int i = 0; i < schedulers.Count; i++)
        {
            check?.Invoke(schedulers[i], i);
            if (!ReferenceEquals(schedulers[i].Optimizer, optimizer))
                throw new ArgumentException($"{name} expects all schedulers to belong to the same optimizer, but got scheduler {schedulers[i].GetType().Name} at index {i} has a different optimizer than {optimizer.GetType().Name}.");
        }
        this.schedulers = schedulers.ToArray();
    }

    public IReadOnlyList<LRScheduler> Schedulers => schedulers;

    /// <summary>The groups' current learning rates: the composed schedulers set them.</summary>
    protected override double[] GetLr() => Groups.Select(g => g.LearningRate).ToArray();

    public override Dictionary<string, object> StateDict()
    {
        var state = base.StateDict();
        state["_schedulers"] = schedulers.Select(s => (object)s.StateDict()).ToArray();
        return state;
    }

    public override void LoadStateDict(IReadOnlyDictionary<string, object> stateDict)
    {
        base.LoadStateDict(stateDict);
        var states = ((System.Collections.IEnumerable)stateDict["_schedulers"]).Cast<IReadOnlyDictionary<string, object>>().ToArray();
        if (states.Length != schedulers.Length)
            throw new ArgumentException($"loaded state dict has {states.Length} schedulers, this {GetType().Name} has {schedulers.Length}");
        for (int i = 0; i < states.Length; i++) schedulers[i].LoadStateDict(states[i]);
    }
}
