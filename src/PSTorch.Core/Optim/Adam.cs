using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// Adam (and, with decoupled weight decay, AdamW) with amsgrad and maximize, following the update rule in
/// PyTorch's documentation: bias-corrected first and second moments, step = lr / (1 - beta1^t). With amsgrad,
/// max_exp_avg_sq holds the maximum of the raw second moment, bias-corrected when used, as PyTorch's code does.
/// Contiguous float32/float64 parameters are updated by the backend's fused multi-tensor AdamStep, one call per
/// group, device, dtype and step number.
/// </summary>
public class Adam : Optimizer
{
    readonly FusedBatches<Backends.AdamTensors> fused = new();

    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, betas, eps, weightDecay, amsgrad, maximize) { }

    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : base(groups, CheckedDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize)) { }

    /// <summary>True for AdamW: weight decay shrinks the parameter directly instead of being added to the gradient.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    static Dictionary<string, object> CheckedDefaults(double lr, (double B1, double B2) betas, double eps, double weightDecay, bool amsgrad, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (eps < 0) throw new ArgumentException($"Invalid epsilon value: {eps}");
        if (betas.B1 < 0 || betas.B1 >= 1) throw new ArgumentException($"Invalid beta parameter at index 0: {betas.B1}");
        if (betas.B2 < 0 || betas.B2 >= 1) throw new ArgumentException($"Invalid beta parameter at index 1: {betas.B2}");
        if (weightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}");
        return new() { ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["amsgrad"] = amsgrad, ["maximize"] = maximize };
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state)
    {
        double lr = group.LearningRate, eps = group.GetDouble("eps"), wd = group.GetDouble("weight_decay");
        var (beta1, beta2) = group.GetPair("betas");
        bool maximize = group.GetBool("maximize");
        long step = NextStep(state);
        var m = Buffer(state, "exp_avg", p);
        var v = Buffer(state, "exp_avg_sq", p);
        var vmax = group.GetBool("amsgrad") ? Buffer(state, "max_exp_avg_sq", p) : null;
        if (CanFuse(p, grad, m, v, vmax))
        {
            fused.Add(new(p, grad, m, v, vmax), step);
            return;
        }
        var g = maximize ? -grad : grad;
        if (wd != 0)
        {
            if (DecoupledWeightDecay) p.Mul_(1 - lr * wd);
            else g = g + p * wd;
        }
        m.Mul_(beta1).Add_(g * (1 - beta1));
        v.Mul_(beta2).Add_(g * g * (1 - beta2));
        double bias1 = 1 - Math.Pow(beta1, step), bias2 = 1 - Math.Pow(beta2, step);
        var second = v;
        if (vmax != null)
        {
            vmax.Copy_(vmax.Maximum(v));
            second = vmax;
        }
        var denom = second.Sqrt() / Math.Sqrt(bias2) + eps;
        p.Sub_(m / denom * (lr / bias1));
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
            double lr = group.LearningRate, eps = group.GetDouble("eps"), wd = group.GetDouble("weight_decay");
            var (beta1, beta2) = group.GetPair("betas");
            bool maximize = group.GetBool("maximize");
            while (fused.TryTake(out var tensors, out var lead, out long step))
                Backends.Backend.For(lead).AdamStep(tensors, lr, beta1, beta2, eps, wd, DecoupledWeightDecay, maximize, step);
        }
        finally
        {
            fused.Clear();
        }
    }
}

/// <summary>Adam with decoupled weight decay (torch.optim.AdamW; weight_decay defaults to 0.01).</summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0.01, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, betas, eps, weightDecay, amsgrad, maximize) { }

    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0.01, bool amsgrad = false, bool maximize = false)
        : base(groups, lr, betas, eps, weightDecay, amsgrad, maximize) { }

    protected override bool DecoupledWeightDecay => true;
}
