using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// Rprop (torch.optim.Rprop), resilient backpropagation, following the update rule in PyTorch's documentation: each
/// element's step size ("step_size", starting at lr) grows by etas' second value while its gradient keeps its sign and
/// shrinks by the first when the sign flips, within step_sizes; a flipped element skips that step and its gradient is
/// remembered as zero ("prev"). Only the gradient's sign moves the parameter.
/// </summary>
public sealed class Rprop : Optimizer
{
    public Rprop(IEnumerable<Parameter> parameters, double lr = 1e-2, (double, double)? etas = null, (double, double)? stepSizes = null,
        bool maximize = false)
        : this([new ParamGroup(parameters)], lr, etas, stepSizes, maximize) { }

    public Rprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, (double, double)? etas = null, (double, double)? stepSizes = null,
        bool maximize = false)
        : base(groups, CheckedDefaults(lr, etas ?? (0.5, 1.2), stepSizes ?? (1e-6, 50), maximize)) { }

    static Dictionary<string, object> CheckedDefaults(double lr, (double Minus, double Plus) etas, (double, double) stepSizes, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (!(0 < etas.Minus && etas.Minus < 1 && 1 < etas.Plus)) throw new ArgumentException($"Invalid eta values: {etas.Minus}, {etas.Plus}");
        return new() { ["lr"] = lr, ["etas"] = etas, ["step_sizes"] = stepSizes, ["maximize"] = maximize };
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state)
    {
        var (etaMinus, etaPlus) = group.GetPair("etas");
        var (stepSizeMin, stepSizeMax) = group.GetPair("step_sizes");
        NextStep(state);
        var prev = Buffer(state, "prev", p);
        if (!state.ContainsKey("step_size")) state["step_size"] = Torch.FullLike(p, group.LearningRate);
        var stepSize = (Tensor)state["step_size"];
        var g = group.GetBool("maximize") ? -grad : grad;
        var sign = (g * prev).Sign();
        var flipped = sign < 0;
        var factor = Torch.OnesLike(p).MaskedFill_(sign > 0, etaPlus).MaskedFill_(flipped, etaMinus);
        stepSize.Mul_(factor).Clamp_(stepSizeMin, stepSizeMax);
        g = g.MaskedFill(flipped, 0);
        p.Sub_(g.Sign() * stepSize);
        prev.Copy_(g);
    }
}
