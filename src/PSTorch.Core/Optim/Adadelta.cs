using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// Adadelta (torch.optim.Adadelta), following the update rule in PyTorch's documentation: running averages of squared
/// gradients ("square_avg") and of squared updates ("acc_delta") set each element's step size; lr scales the update.
/// </summary>
public sealed class Adadelta : Optimizer
{
    public Adadelta(IEnumerable<Parameter> parameters, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, rho, eps, weightDecay, maximize) { }

    public Adadelta(IEnumerable<ParamGroup> groups, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0, bool maximize = false)
        : base(groups, CheckedDefaults(lr, rho, eps, weightDecay, maximize)) { }

    static Dictionary<string, object> CheckedDefaults(double lr, double rho, double eps, double weightDecay, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (rho < 0 || rho > 1) throw new ArgumentException($"Invalid rho value: {rho}");
        if (eps < 0) throw new ArgumentException($"Invalid epsilon value: {eps}");
        if (weightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}");
        return new() { ["lr"] = lr, ["rho"] = rho, ["eps"] = eps, ["weight_decay"] = weightDecay, ["maximize"] = maximize };
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state)
    {
        double lr = group.LearningRate, rho = group.GetDouble("rho"), eps = group.GetDouble("eps"), wd = group.GetDouble("weight_decay");
        NextStep(state);
        var squareAvg = Buffer(state, "square_avg", p);
        var accDelta = Buffer(state, "acc_delta", p);
        var g = group.GetBool("maximize") ? -grad : grad;
        if (wd != 0) g = g + p * wd;
        squareAvg.Mul_(rho).Add_(g * g * (1 - rho));
        var delta = (accDelta + eps).Sqrt() / (squareAvg + eps).Sqrt() * g;
        accDelta.Mul_(rho).Add_(delta * delta * (1 - rho));
        p.Sub_(delta * lr);
    }
}
