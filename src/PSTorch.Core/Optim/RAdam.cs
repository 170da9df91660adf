using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// RAdam (torch.optim.RAdam), rectified Adam, following the update rule in PyTorch's documentation: while the
/// length of the approximated simple moving average rho_t is at most 5 the step is bias-corrected momentum alone;
/// after that Adam's adaptive step scaled by the variance rectification term. decoupled_weight_decay makes it RAdamW.
/// </summary>
public sealed class RAdam : Optimizer
{
    public RAdam(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool decoupledWeightDecay = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, betas, eps, weightDecay, decoupledWeightDecay, maximize) { }

    public RAdam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool decoupledWeightDecay = false, bool maximize = false)
        : base(groups, CheckedDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, decoupledWeightDecay, maximize)) { }

    static Dictionary<string, object> CheckedDefaults(double lr, (double B1, double B2) betas, double eps, double weightDecay,
        bool decoupledWeightDecay, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (eps < 0) throw new ArgumentException($"Invalid epsilon value: {eps}");
        if (betas.B1 < 0 || betas.B1 >= 1) throw new ArgumentException($"Invalid beta parameter at index 0: {betas.B1}");
        if (betas.B2 < 0 || betas.B2 >= 1) throw new ArgumentException($"Invalid beta parameter at index 1: {betas.B2}");
        if (weightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}");
        return new()
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay,
            ["decoupled_weight_decay"] = decoupledWeightDecay, ["maximize"] = maximize,
        };
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state)
    {
        double lr = group.LearningRate, eps = group.GetDouble("eps"), wd = group.GetDouble("weight_decay");
        var (beta1, beta2) = group.GetPair("betas");
        long step = NextStep(state);
        var expAvg = Buffer(state, "exp_avg", p);
        var expAvgSq = Buffer(state, "exp_avg_sq", p);
        var g = group.GetBool("maximize") ? -grad : grad;
        if (wd != 0)
        {
            if (group.GetBool("decoupled_weight_decay")) p.Mul_(1 - lr * wd);
            else g = g + p * wd;
        }
        expAvg.Lerp_(g, 1 - beta1);
        expAvgSq.Mul_(beta2).Add_(g * g * (1 - beta2));
        double bias1 = 1 - Math.Pow(beta1, step), bias2 = 1 - Math.Pow(beta2, step);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * step * Math.Pow(beta2, step) / bias2;
        if (rhoT > 5)
        {
            double rect = Math.Sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            p.Sub_(expAvg / (expAvgSq.Sqrt() + eps) * (lr / bias1 * Math.Sqrt(bias2) * rect));
        }
        else p.Sub_(expAvg * (lr / bias1));
    }
}
