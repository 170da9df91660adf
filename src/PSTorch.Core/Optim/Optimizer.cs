using PSTorch.Autograd;
using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// Base of the optimizers (torch.optim.Optimizer): parameter groups with per-group options that default to the
/// optimizer's, per-parameter state, ZeroGrad, and a state dict from which a loaded optimizer continues exactly.
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(IEnumerable<Parameter> parameters, IReadOnlyDictionary<string, object> defaults)
        : this([new ParamGroup(parameters)], defaults) { }

    protected Optimizer(IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, object> defaults)
    {
        Defaults = defaults;
        foreach (var g in groups) AddParamGroup(g);
        if (ParamGroups.Count == 0 || ParamGroups.All(g => g.Params.Count == 0))
            throw new ArgumentException("optimizer got an empty parameter list");
    }

    public IReadOnlyDictionary<string, object> Defaults { get; }
    public List<ParamGroup> ParamGroups { get; } = [];

    /// <summary>Per-parameter state (momentum buffers, step counts, ...), by parameter.</summary>
    public Dictionary<Parameter, Dictionary<string, object>> State { get; } = new(ReferenceEqualityComparer.Instance);

    public void AddParamGroup(ParamGroup group)
    {
        foreach (var kv in Defaults) group.SetDefault(kv.Key, kv.Value);
        var existing = new HashSet<Parameter>(ParamGroups.SelectMany(g => g.Params), ReferenceEqualityComparer.Instance);
        foreach (var p in group.Params)
        {
            if (!p.IsLeaf) throw new ArgumentException("can't optimize a non-leaf Tensor");
            if (!existing.Add(p)) throw new ArgumentException("some parameters appear in more than one parameter group");
        }
        ParamGroups.Add(group);
    }

    /// <summary>Sets the gradients of all optimised parameters to null (default) or zero.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in ParamGroups.SelectMany(g => g.Params))
        {
            if (p.Grad == null) continue;
            if (setToNone) p.Grad = null;
            else using (GradMode.Set(false)) p.Grad.Detach().Zero_();
        }
    }

    /// <summary>Performs one optimisation step using the parameters' current .Grad.</summary>
    public virtual void Step()
    {
        using var _ = GradMode.Set(false);
        foreach (var group in ParamGroups)
        {
            bool completed = false;
            try
            {
                foreach (var p in group.Params)
                    if (p.Grad != null) Update(group, p, p.Grad, StateOf(p));
                completed = true;
            }
            finally
            {
                EndGroup(group, completed);
            }
        }
    }

    /// <summary>Re-evaluates the loss with <paramref name="closure"/> (under grad mode) before stepping; returns that loss.</summary>
    public virtual Tensor Step(Func<Tensor> closure)
    {
        Tensor loss;
        using (GradMode.Set(true)) loss = closure();
        Step();
        return loss;
    }

    /// <summary>Applies the update rule to one parameter (grad mode is off), or sets it aside for <see cref="EndGroup"/>.</summary>
    protected abstract void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state);

    /// <summary>
    /// Called after each group's Update calls (<paramref name="completed"/> false when one of them threw): an
    /// optimizer that set parameters aside for a fused multi-tensor step runs it here, or drops it after a failure.
    /// </summary>
    protected virtual void EndGroup(ParamGroup group, bool completed) { }

    protected Dictionary<string, object> StateOf(Parameter p)
    {
        if (!State.TryGetValue(p, out var s)) State[p] = s = new Dictionary<string, object>();
        return s;
    }

    /// <summary>A tensor state entry, created as zeros shaped like <paramref name="like"/> on first use.</summary>
    protected static Tensor Buffer(Dictionary<string, object> state, string name, Tensor like)
    {
        if (state.TryGetValue(name, out var v)) return (Tensor)v;
        var t = Torch.ZerosLike(like);
        state[name] = t;
        return t;
    }

    /// <summary>The step count after this step: the saved "step" plus one, stored back.</summary>
    protected static long NextStep(Dictionary<string, object> state)
    {
        long step = state.TryGetValue("step", out var s) ? System.Convert.ToInt64(s, System.Globalization.CultureInfo.InvariantCulture) + 1 : 1;
        state["step"] = step;
        return step;
    }

    /// <summary>
    /// Whether a backend's fused step kernel can update these tensors (null = absent state): all contiguous, on one
    /// device, of one dtype, float32 or float64. Otherwise the optimizer applies its formulas with tensor ops.
    /// (Fixed arguments rather than params: a step must not allocate.)
    /// </summary>
    protected static bool CanFuse(Tensor param, Tensor grad, Tensor? state1 = null, Tensor? state2 = null, Tensor? state3 = null) =>
        param.DType is DType.Float32 or DType.Float64 && param.IsContiguous()
        && FusesWith(param, grad) && FusesWith(param, state1) && FusesWith(param, state2) && FusesWith(param, state3);

    static bool FusesWith(Tensor param, Tensor? t) =>
        t == null || (t.DType == param.DType && t.Device == param.Device && t.IsContiguous() && t.ShapeRef.AsSpan().SequenceEqual(param.ShapeRef));

    /// <summary>
    /// PyTorch's optimizer state_dict: "state" maps parameter indices (in group order) to their state, and
    /// "param_groups" holds each group's options with "params" as those indices.
    /// </summary>
    public OptimizerStateDict StateDict()
    {
        var state = new Dictionary<long, Dictionary<string, object>>();
        var groups = new List<Dictionary<string, object>>();
        long index = 0;
        foreach (var g in ParamGroups)
        {
            var ids = new List<long>();
            foreach (var p in g.Params)
            {
                // PyTorch's state holds only the parameters a step gave state (none for SGD without momentum)
                if (State.TryGetValue(p, out var s) && s.Count > 0)
                    state[index] = s.ToDictionary(kv => kv.Key, kv => CopyOf(kv.Value, null));
                ids.Add(index++);
            }
            var options = g.Options.ToDictionary(kv => kv.Key, kv => kv.Value);
            options["params"] = ids.ToArray();
            groups.Add(options);
        }
        return new OptimizerStateDict(state, groups);
    }

    /// <summary>Restores options and state saved by <see cref="StateDict"/> into this optimizer's parameters (same group layout).</summary>
    public void LoadStateDict(OptimizerStateDict stateDict)
    {
        if (stateDict.ParamGroups.Count != ParamGroups.Count)
            throw new ArgumentException("loaded state dict has a different number of parameter groups");
        var byIndex = new Dictionary<long, Parameter>();
        for (int gi = 0; gi < ParamGroups.Count; gi++)
        {
            var saved = stateDict.ParamGroups[gi];
            var ids = saved.TryGetValue("params", out var v) ? ((IEnumerable<object>)ToObjects(v)).Select(System.Convert.ToInt64).ToArray() : [];
            if (ids.Length != ParamGroups[gi].Params.Count)
                throw new ArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
            for (int i = 0; i < ids.Length; i++) byIndex[ids[i]] = ParamGroups[gi].Params[i];
            foreach (var kv in saved)
                if (kv.Key != "params") ParamGroups[gi][kv.Key] = kv.Value;
        }
        State.Clear();
        foreach (var (id, s) in stateDict.State)
        {
            if (!byIndex.TryGetValue(id, out var p)) throw new ArgumentException($"loaded state dict has state for unknown parameter index {id}");
            State[p] = s.ToDictionary(kv => kv.Key, kv => CopyOf(kv.Value, p.Device));
        }
    }

    static IEnumerable<object> ToObjects(object v) => v is System.Collections.IEnumerable e ? e.Cast<object>() : [v];

    public override string ToString()
    {
        var sb = new System.Text.StringBuilder(GetType().Name + " (");
        for (int i = 0; i < ParamGroups.Count; i++)
        {
            sb.Append($"\nParameter Group {i}");
            foreach (var kv in ParamGroups[i].Options.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                sb.Append($"\n    {kv.Key}: {Format(kv.Value)}");
        }
        return sb.Append("\n)").ToString();
    }

    static string Format(object v) => v switch
    {
        bool b => b ? "True" : "False",
        double d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ValueTuple<double, double> t => $"({Format(t.Item1)}, {Format(t.Item2)})",
        null => "None",
        _ => v.ToString() ?? "",
    };

    /// <summary>A state value detached from the live state: tensors (and lists of them, as LBFGS's history) cloned, on <paramref name="device"/> when given.</summary>
    static object CopyOf(object value, Device? device) => value switch
    {
        Tensor t => (device is { } d ? t.Detach().To(d) : t.Detach()).Clone(),
        Tensor[] list => list.Select(t => (Tensor)CopyOf(t, device)).ToArray(),
        _ => value,
    };
}

/// <summary>An optimizer's saved state: per-parameter-index state and the groups' options.</summary>
public sealed record OptimizerStateDict(Dictionary<long, Dictionary<string, object>> State, List<Dictionary<string, object>> ParamGroups);
