using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// NAdam (torch.optim.NAdam), Adam with Nesterov momentum, following the update rule in PyTorch's documentation: the
/// momentum coefficient mu_t = beta1 (1 - 0.96^(t momentum_decay) / 2) warms up over the steps and the running product
/// of the mu's ("mu_product") bias-corrects the two parts of the update; decoupled_weight_decay makes it NAdamW.
/// </summary>
public sealed class NAdam : Optimizer
{
    public NAdam(IEnumerable<Parameter> parameters, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, double momentumDecay = 4e-3, bool decoupledWeightDecay = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, betas, eps, weightDecay, momentumDecay, decoupledWeightDecay, maximize) { }

    public NAdam(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, double momentumDecay = 4e-3, bool decoupledWeightDecay = false, bool maximize = false)
        : base(groups, CheckedDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, momentumDecay, decoupledWeightDecay, maximize)) { }

    static Dictionary<string, object> CheckedDefaults(double lr, (double B1, double B2) betas, double eps, double weightDecay,
        double momentumDecay, bool decoupledWeightDecay, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (eps < 0) throw new ArgumentException($"Invalid epsilon value: {eps}");
        if (betas.B1 < 0 || betas.B1 >= 1) throw new ArgumentException($"Invalid beta parameter at index 0: {betas.B1}");
        if (betas.B2 < 0 || betas.B2 >= 1) throw new ArgumentException($"Invalid beta parameter at index 1: {betas.B2}");
        if (weightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}");
        if (momentumDecay < 0) throw new ArgumentException($"Invalid momentum_decay value: {momentumDecay}");
        return new()
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["momentum_decay"] = momentumDecay,
            ["decoupled_weight_decay"] = decoupledWeightDecay, ["maximize"] = maximize,
        };
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state)
    {
        double lr = group.LearningRate, eps = group.GetDouble("eps"), wd = group.GetDouble("weight_decay");
        double momentumDecay = group.GetDouble("momentum_decay");
        var (beta1, beta2) = group.GetPair("betas");
        long step = NextStep(state);
        var expAvg = Buffer(state, "exp_avg", p);
        var expAvgSq = Buffer(state, "exp_avg_sq", p);
        double muProduct = state.TryGetValue("mu_product", out var saved) ? System.Convert.ToDouble(saved, System.Globalization.CultureInfo.InvariantCulture) : 1.0;
        var g = group.GetBool("maximize") ? -grad : grad;
        if (wd != 0)
        {
            if (group.GetBool("decoupled_weight_decay")) p.Mul_(1 - lr * wd);
            else g = g + p * wd;
        }
        double mu = beta1 * (1 - 0.5 * Math.Pow(0.96, step * momentumDecay));
        double muNext = beta1 * (1 - 0.5 * Math.Pow(0.96, (step + 1) * momentumDecay));
        muProduct *= mu;
        state["mu_product"] = muProduct;
        expAvg.Lerp_(g, 1 - beta1);
        expAvgSq.Mul_(beta2).Add_(g * g * (1 - beta2));
        var denom = (expAvgSq / (1 - Math.Pow(beta2, step))).Sqrt() + eps;
        p.Sub_(g / denom * (lr * (1 - mu) / (1 - muProduct)));
        p.Sub_(expAvg / denom * (lr * muNext / (1 - muProduct * muNext)));
    }
}
