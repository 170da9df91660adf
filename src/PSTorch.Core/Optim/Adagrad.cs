using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// Adagrad (torch.optim.Adagrad), following the update rule in PyTorch's documentation: the learning rate decays
/// as lr / (1 + (t - 1) * lr_decay) and each element is scaled by the root of its accumulated squared gradients ("sum").
/// Contiguous float32/float64 parameters are updated by the backend's fused multi-tensor AdagradStep, one call per
/// group, device, dtype and step number (the decayed learning rate depends on it).
/// </summary>
public sealed class Adagrad : Optimizer
{
    readonly FusedBatches<Backends.AdagradTensors> fused = new();

    public Adagrad(IEnumerable<Parameter> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize) { }

    public Adagrad(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : base(groups, CheckedDefaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize))
    {
        // as torch.optim.Adagrad, the state exists from construction (a state_dict before the first step has it)
        foreach (var group in ParamGroups)
            foreach (var p in group.Params)
            {
                var state = StateOf(p);
                state["step"] = 0L;
                state["sum"] = Torch.FullLike(p, group.GetDouble("initial_accumulator_value"));
            }
    }

    static Dictionary<string, object> CheckedDefaults(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (lrDecay < 0) throw new ArgumentException($"Invalid lr_decay value: {lrDecay}");
        if (weightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}");
        if (initialAccumulatorValue < 0) throw new ArgumentException($"Invalid initial_accumulator_value value: {initialAccumulatorValue}");
        if (eps < 0) throw new ArgumentException($"Invalid epsilon value: {eps}");
        return new()
        {
            ["lr"] = lr, ["lr_decay"] = lrDecay, ["weight_decay"] = weightDecay,
            ["initial_accumulator_value"] = initialAccumulatorValue, ["eps"] = eps, ["maximize"] = maximize,
        };
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state)
    {
        double lr = group.LearningRate, lrDecay = group.GetDouble("lr_decay"), wd = group.GetDouble("weight_decay"), eps = group.GetDouble("eps");
        if (!state.ContainsKey("sum")) state["sum"] = Torch.FullLike(p, group.GetDouble("initial_accumulator_value"));
        var sum = (Tensor)state["sum"];
        long step = NextStep(state);
        if (CanFuse(p, grad, sum))
        {
            fused.Add(new(p, grad, sum), step);
            return;
        }
        var g = group.GetBool("maximize") ? -grad : grad;
        if (wd != 0) g = g + p * wd;
        double clr = lr / (1 + (step - 1) * lrDecay);
        sum.Add_(g * g);
        p.Sub_(g / (sum.Sqrt() + eps) * clr);
    }

    protected override void EndGroup(ParamGroup group, bool completed)
    {
        try
        {
            if (!completed)
            {
                fused.RollBackSteps(p => State[p]);
                return;
            }
            double lr = group.LearningRate, lrDecay = group.GetDouble("lr_decay"), wd = group.GetDouble("weight_decay"), eps = group.GetDouble("eps");
            bool maximize = group.GetBool("maximize");
            while (fused.TryTake(out var tensors, out var lead, out long step))
                Backends.Backend.For(lead).AdagradStep(tensors, lr, lrDecay, wd, eps, maximize, step);
        }
        finally
        {
            fused.Clear();
        }
    }
}
