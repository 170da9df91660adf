using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and maximize,
/// following the update rule in PyTorch's documentation of torch.optim.SGD. Contiguous float32/float64 parameters are
/// updated by the backend's fused multi-tensor SgdStep, one call per group, device, dtype and first-step flag.
/// </summary>
public sealed class SGD : Optimizer
{
    readonly FusedBatches<Backends.SgdTensors> fused = new();

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
            fused.Add(new(p, grad, buffer), firstStep ? 1 : 0);
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

    protected override void EndGroup(ParamGroup group, bool completed)
    {
        try
        {
            if (!completed)
            {
                // the set-aside parameters were not updated: a buffer created for their first step was never filled
                while (fused.TryTake(out var dropped, out _, out long firstStep))
                    if (firstStep == 1)
                        foreach (var t in dropped) State[(Parameter)t.Param].Remove("momentum_buffer");
                return;
            }
            double lr = group.LearningRate, momentum = group.GetDouble("momentum"), dampening = group.GetDouble("dampening");
            double wd = group.GetDouble("weight_decay");
            bool nesterov = group.GetBool("nesterov"), maximize = group.GetBool("maximize");
            while (fused.TryTake(out var tensors, out var lead, out long firstStep))
                Backends.Backend.For(lead).SgdStep(tensors, firstStep == 1, lr, momentum, dampening, wd, nesterov, maximize);
        }
        finally
        {
            fused.Clear();
        }
    }
}
