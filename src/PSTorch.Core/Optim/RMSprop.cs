using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// RMSprop (torch.optim.RMSprop), following the update rule in PyTorch's documentation: gradients are divided by the root
/// of a running average of their squares ("square_avg"), centered by the running mean gradient ("grad_avg") when asked,
/// optionally through a momentum buffer ("momentum_buffer"). Contiguous float32/float64 parameters are updated by the
/// backend's fused multi-tensor RmspropStep, one call per group, device and dtype (centered and momentum are group
/// options, so the optional buffers are present for all parameters of a call or for none).
/// </summary>
public sealed class RMSprop : Optimizer
{
    readonly FusedBatches<Backends.RmspropTensors> fused = new();

    public RMSprop(IEnumerable<Parameter> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0,
        double momentum = 0, bool centered = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, alpha, eps, weightDecay, momentum, centered, maximize) { }

    public RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0,
        double momentum = 0, bool centered = false, bool maximize = false)
        : base(groups, CheckedDefaults(lr, alpha, eps, weightDecay, momentum, centered, maximize)) { }

    static Dictionary<string, object> CheckedDefaults(double lr, double alpha, double eps, double weightDecay, double momentum, bool centered, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (eps < 0) throw new ArgumentException($"Invalid epsilon value: {eps}");
        if (momentum < 0) throw new ArgumentException($"Invalid momentum value: {momentum}");
        if (weightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}");
        if (alpha < 0) throw new ArgumentException($"Invalid alpha value: {alpha}");
        return new()
        {
            ["lr"] = lr, ["alpha"] = alpha, ["eps"] = eps, ["weight_decay"] = weightDecay,
            ["momentum"] = momentum, ["centered"] = centered, ["maximize"] = maximize,
        };
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state)
    {
        double lr = group.LearningRate, alpha = group.GetDouble("alpha"), eps = group.GetDouble("eps");
        double wd = group.GetDouble("weight_decay"), momentum = group.GetDouble("momentum");
        NextStep(state);
        var squareAvg = Buffer(state, "square_avg", p);
        var gradAvg = group.GetBool("centered") ? Buffer(state, "grad_avg", p) : null;
        var buffer = momentum > 0 ? Buffer(state, "momentum_buffer", p) : null;
        if (CanFuse(p, grad, squareAvg, gradAvg, buffer))
        {
            fused.Add(new(p, grad, squareAvg, gradAvg, buffer), 0);
            return;
        }
        var g = group.GetBool("maximize") ? -grad : grad;
        if (wd != 0) g = g + p * wd;
        squareAvg.Mul_(alpha).Add_(g * g * (1 - alpha));
        var avg = squareAvg;
        if (gradAvg != null)
        {
            gradAvg.Mul_(alpha).Add_(g * (1 - alpha));
            avg = squareAvg - gradAvg * gradAvg;
        }
        var denom = avg.Sqrt() + eps;
        if (buffer != null)
        {
            buffer.Mul_(momentum).Add_(g / denom);
            p.Sub_(buffer * lr);
        }
        else p.Sub_(g / denom * lr);
    }

    protected override void EndGroup(ParamGroup group, bool completed)
    {
        try
        {
            if (!completed)
            {
                // the set-aside parameters were not updated: their step counts go back
                while (fused.TryTake(out var dropped, out _, out _))
                    foreach (var t in dropped)
                    {
                        var state = State[(Parameter)t.Param];
                        state["step"] = (long)state["step"] - 1;
                    }
                return;
            }
            double lr = group.LearningRate, alpha = group.GetDouble("alpha"), eps = group.GetDouble("eps");
            double wd = group.GetDouble("weight_decay"), momentum = group.GetDouble("momentum");
            bool maximize = group.GetBool("maximize");
            while (fused.TryTake(out var tensors, out var lead, out _))
                Backends.Backend.For(lead).RmspropStep(tensors, lr, alpha, eps, wd, momentum, maximize);
        }
        finally
        {
            fused.Clear();
        }
    }
}
