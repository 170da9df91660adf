using System.Globalization;

namespace PSTorch.Optim;

/// <summary>When a training loop should call a scheduler's Step: after every batch or after every epoch.</summary>
public enum SchedulerInterval
{
    Epoch,
    Batch,
}

/// <summary>
/// Base of the learning-rate schedulers (torch.optim.lr_scheduler.LRScheduler). Each Step advances
/// <see cref="LastEpoch"/> and writes the new learning rates into the optimizer's parameter groups, computed like
/// PyTorch's get_lr: from the groups' current lr (so schedulers chain) and the groups' "initial_lr" (<see cref="BaseLrs"/>).
/// Derived constructors end with <see cref="InitialStep"/>, which sets the lr of epoch 0.
/// </summary>
public abstract class LRScheduler
{
    double[] lastLr = [];

    protected LRScheduler(Optimizer optimizer, long lastEpoch)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        LastEpoch = lastEpoch;
    }

    public Optimizer Optimizer { get; }

    /// <summary>The groups' learning rates the schedule starts from ("initial_lr").</summary>
    public double[] BaseLrs { get; protected set; } = [];

    /// <summary>The number of the last step taken (epochs, or batches for per-batch schedulers); -1 before the first.</summary>
    public long LastEpoch { get; protected set; }

    /// <summary>How many times Step has been called (PyTorch's _step_count).</summary>
    public long StepCount { get; protected set; }

    /// <summary>Whether the training loop steps this scheduler per epoch (most) or per batch (OneCycleLR).</summary>
    public virtual SchedulerInterval Interval => SchedulerInterval.Epoch;

    /// <summary>The learning rates the last Step set, one per parameter group.</summary>
    public double[] GetLastLr() => (double[])lastLr.Clone();

    protected IReadOnlyList<ParamGroup> Groups => Optimizer.ParamGroups;

    /// <summary>
    /// Records "initial_lr" in every group (kept if a scheduler set it already; required when resuming with a
    /// last epoch &gt;= 0) and takes the first step.
    /// </summary>
    protected void InitialStep()
    {
        for (int i = 0; i < Groups.Count; i++)
        {
            if (LastEpoch == -1) Groups[i].SetDefault("initial_lr", Groups[i].LearningRate);
            else if (!Groups[i].ContainsOption("initial_lr"))
                throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer");
        }
        BaseLrs = Groups.Select(g => g.GetDouble("initial_lr")).ToArray();
        StepCount = 0;
        Step();
    }

    /// <summary>Advances one epoch (or batch) and sets the groups' learning rates.</summary>
    public virtual void Step()
    {
        StepCount++;
        LastEpoch++;
        SetLr(GetLr());
    }

    /// <summary>
    /// PyTorch's deprecated step(epoch), which SequentialLR uses at its milestones: jumps to <paramref name="epoch"/>
    /// and sets the closed-form learning rates where the scheduler has them (else get_lr's).
    /// </summary>
    internal void StepTo(long epoch)
    {
        StepCount++;
        LastEpoch = epoch;
        SetLr(ClosedFormLr() ?? GetLr());
    }

    /// <summary>SequentialLR's "undo" of the step each scheduler's constructor took.</summary>
    internal void UndoStep() => LastEpoch--;

    /// <summary>PyTorch's _initial_step: the step count restarts and one step is taken.</summary>
    internal void RestartStepCount()
    {
        StepCount = 0;
        Step();
    }

    /// <summary>Writes the learning rates into the groups and records them as the last ones.</summary>
    protected void SetLr(double[] lrs)
    {
        for (int i = 0; i < Groups.Count; i++) Groups[i].LearningRate = lrs[i];
        SetLastLr();
    }

    /// <summary>PyTorch's get_lr: the learning rates for <see cref="LastEpoch"/>, given the groups' current ones.</summary>
    protected abstract double[] GetLr();

    /// <summary>PyTorch's _get_closed_form_lr: the learning rates for <see cref="LastEpoch"/> from the base ones alone; null where the scheduler has none.</summary>
    protected virtual double[]? ClosedFormLr() => null;

    /// <summary>One learning rate per group from its base learning rate.</summary>
    protected double[] FromBase(Func<double, double> lr) => BaseLrs.Select(lr).ToArray();

    protected void SetLastLr() => lastLr = Groups.Select(g => g.LearningRate).ToArray();

    /// <summary>What Step needs to continue after a restart (PyTorch's state_dict keys).</summary>
    public virtual Dictionary<string, object> StateDict() => new()
    {
        ["last_epoch"] = LastEpoch,
        ["_step_count"] = StepCount,
        ["base_lrs"] = BaseLrs.ToArray(),
        ["_last_lr"] = lastLr.ToArray(),
    };

    /// <summary>Restores a <see cref="StateDict"/>; the optimizer's own state dict restores the groups' learning rates.</summary>
    public virtual void LoadStateDict(IReadOnlyDictionary<string, object> stateDict)
    {
        LastEpoch = ToLong(stateDict["last_epoch"]);
        StepCount = ToLong(stateDict["_step_count"]);
        BaseLrs = ToDoubles(stateDict["base_lrs"]);
        lastLr = ToDoubles(stateDict["_last_lr"]);
    }

    protected static long ToLong(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    protected static double ToDouble(object value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    protected static double[] ToDoubles(object value) => value is System.Collections.IEnumerable e
        ? e.Cast<object>().Select(ToDouble).ToArray()
        : [ToDouble(value)];
}
