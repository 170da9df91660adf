using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// Adamax (torch.optim.Adamax), Adam's infinity-norm variant, following the update rule in PyTorch's documentation:
/// the first moment ("exp_avg") is bias-corrected through the step size, the second is an exponentially weighted
/// infinity norm ("exp_inf") that eps keeps away from zero.
/// </summary>
public sealed class Adamax : Optimizer
{
    public Adamax(IEnumerable<Parameter> parameters, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, betas, eps, weightDecay, maximize) { }

    public Adamax(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool maximize = false)
        : base(groups, CheckedDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, maximize)) { }

    static Dictionary<string, object> CheckedDefaults(double lr, (double B1, double B2) betas, double eps, double weightDecay, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (eps < 0) throw new ArgumentException($"Invalid epsilon value: {eps}");
        if (betas.B1 < 0 || betas.B1 >= 1) throw new ArgumentException($"Invalid beta parameter at index 0: {betas.B1}");
        if (betas.B2 < 0 || betas.B2 >= 1) throw new ArgumentException($"Invalid beta parameter at index 1: {betas.B2}");
        if (weightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}");
        return new() { ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["maximize"] = maximize };
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state)
    {
        double lr = group.LearningRate, eps = group.GetDouble("eps"), wd = group.GetDouble("weight_decay");
        var (beta1, beta2) = group.GetPair("betas");
        long step = NextStep(state);
        var expAvg = Buffer(state, "exp_avg", p);
        var expInf = Buffer(state, "exp_inf", p);
        var g = group.GetBool("maximize") ? -grad : grad;
        if (wd != 0) g = g + p * wd;
        expAvg.Lerp_(g, 1 - beta1);
        expInf.Copy_((expInf * beta2).Maximum(g.Abs() + eps));
        p.Sub_(expAvg / expInf * (lr / (1 - Math.Pow(beta1, step))));
    }
}
