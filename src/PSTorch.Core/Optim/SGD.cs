using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and maximize,
/// following the update rule in PyTorch's documentation of torch.optim.SGD. Contiguous float32/float64 parameters are
/// updated by the backend's fused SgdStep kernel.
/// </summary>
public sealed class SGD : Optimizer
{
    public SGD(IEnumerable<Parameter> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, momentum, dampening, weightDecay, nesterov, maximize) { }

    public SGD(IEnumerable<ParamGroup> groups, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(groups, CheckedDefaults(lr, momentum, dampening, weightDecay, nesterov, maximize))
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
    }

    static Dictionary<string, object> CheckedDefaults(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
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
        bool nesterov = group.GetBool("nesterov"), maximize = group.GetBool("maximize");
        Tensor? buffer = null;
        bool firstStep = false;
        if (momentum != 0)
        {
            firstStep = !state.ContainsKey("momentum_buffer");
            buffer = firstStep ? Torch.ZerosLike(p) : (Tensor)state["momentum_buffer"];
        }
        if (CanFuse(p, grad, buffer))
        {
            Backends.Backend.For(p).SgdStep(p, grad, buffer, firstStep, lr, momentum, dampening, wd, nesterov, maximize);
            if (firstStep) state["momentum_buffer"] = buffer!;
            return;
        }
        // maximize negates the gradient before weight decay and momentum, as torch.optim.SGD does
        var g = maximize ? -grad : grad;
        if (wd != 0) g = g + p * wd;
        if (buffer != null)
        {
            if (firstStep) state["momentum_buffer"] = buffer = g.Clone();
            else buffer.Mul_(momentum).Add_(dampening == 0 ? g : g * (1 - dampening));
            g = nesterov ? g + buffer * momentum : buffer;
        }
        p.Sub_(g * lr);
    }
}
