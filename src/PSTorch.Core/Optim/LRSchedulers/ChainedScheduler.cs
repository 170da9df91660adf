namespace PSTorch.Optim;

/// <summary>
/// torch.optim.lr_scheduler.ChainedScheduler: steps every scheduler of the chain, in order, at each Step, so their
/// multiplicative effects compose (each reads the lr the previous one set).
/// </summary>
public sealed class ChainedScheduler : LRScheduler
{
    readonly LRScheduler[] schedulers;

    public ChainedScheduler(IReadOnlyList<LRScheduler> schedulers, Optimizer? optimizer = null)
        : base(optimizer ?? FirstOptimizer(schedulers), 0)
    {
        for (int i = 0; i < schedulers.Count; i++)
            if (!ReferenceEquals(schedulers[i].Optimizer, Optimizer))
                throw new ArgumentException($"ChainedScheduler expects all schedulers to belong to the same optimizer, but got scheduler {schedulers[i].GetType().Name} at index {i} has a different optimizer than {Optimizer.GetType().Name}.");
        this.schedulers = schedulers.ToArray();
        BaseLrs = Groups.Select(g => g.LearningRate).ToArray();
        SetLastLr();
    }

    static Optimizer FirstOptimizer(IReadOnlyList<LRScheduler> schedulers) =>
        schedulers.Count > 0 ? schedulers[0].Optimizer : throw new ArgumentException("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.");

    public IReadOnlyList<LRScheduler> Schedulers => schedulers;

    public override void Step()
    {
        foreach (var s in schedulers) s.Step();
        SetLastLr();
    }

    /// <summary>The groups' current learning rates: the chained schedulers set them.</summary>
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
            throw new ArgumentException($"loaded state dict has {states.Length} schedulers, this ChainedScheduler has {schedulers.Length}");
        for (int i = 0; i < states.Length; i++) schedulers[i].LoadStateDict(states[i]);
    }
}
