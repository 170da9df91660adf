using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and maximize,
/// following the update rule in PyTorch's documentation of torch.optim.SGD.
/// </summary>
public sealed class SGD : Optimizer
{
    public SGD(IEnumerable<Parameter> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, momentum, dampening, weightDecay, nesterov, maximize) { }

    public SGD(IEnumerable<ParamGroup> groups, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(groups, Defaults(lr, momentum, dampening, weightDecay, nesterov, maximize))
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
    }

    static Dictionary<string, object> Defaults(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (momentum < 0) throw new ArgumentException($"Invalid momentum value: {momentum}");
        if (weightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}");
        return new() { ["lr"] = lr, ["momentum"] = momentum, ["dampening"] = dampening, ["weight_decay"] = weightDecay, ["nesterov"] = nesterov, ["maximize"] = maximize };
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state)
    {
        double lr = group.LearningRate, momentum = group.GetDouble("momentum"), dampening = group.GetDouble("dampening");
        double wd = group.GetDouble("weight_decay");
        var g = grad;
        if (wd != 0) g = g + p * wd;
        if (momentum != 0)
        {
            if (state.TryGetValue("momentum_buffer", out var b))
            {
                var buf = (Tensor)b;
                buf.Mul_(momentum).Add_(dampening == 0 ? g : g * (1 - dampening));
            }
            else state["momentum_buffer"] = g.Clone();
            var mb = (Tensor)state["momentum_buffer"];
            g = group.GetBool("nesterov") ? g + mb * momentum : mb;
        }
        if (group.GetBool("maximize")) p.Add_(g * lr);
        else p.Sub_(g * lr);
    }
}
