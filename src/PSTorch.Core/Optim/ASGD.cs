using System.Globalization;
using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// ASGD (torch.optim.ASGD), averaged stochastic gradient descent, following the update rule in PyTorch's
/// documentation: SGD whose step size "eta" decays as lr / (1 + lambd lr t)^alpha, with the parameter shrunk by
/// lambd eta each step, and a running average of the iterates ("ax") that starts averaging after t0 steps ("mu").
/// </summary>
public sealed class ASGD : Optimizer
{
    public ASGD(IEnumerable<Parameter> parameters, double lr = 1e-2, double lambd = 1e-4, double alpha = 0.75, double t0 = 1e6,
        double weightDecay = 0, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, lambd, alpha, t0, weightDecay, maximize) { }

    public ASGD(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lambd = 1e-4, double alpha = 0.75, double t0 = 1e6,
        double weightDecay = 0, bool maximize = false)
        : base(groups, CheckedDefaults(lr, lambd, alpha, t0, weightDecay, maximize)) { }

    static Dictionary<string, object> CheckedDefaults(double lr, double lambd, double alpha, double t0, double weightDecay, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (weightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}");
        return new() { ["lr"] = lr, ["lambd"] = lambd, ["alpha"] = alpha, ["t0"] = t0, ["weight_decay"] = weightDecay, ["maximize"] = maximize };
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, object> state)
    {
        double lr = group.LearningRate, lambd = group.GetDouble("lambd"), alpha = group.GetDouble("alpha");
        double t0 = group.GetDouble("t0"), wd = group.GetDouble("weight_decay");
        // the state PyTorch creates on the first step: eta starts at the group's lr, mu at 1
        double eta = state.TryGetValue("eta", out var savedEta) ? System.Convert.ToDouble(savedEta, CultureInfo.InvariantCulture) : lr;
        double mu = state.TryGetValue("mu", out var savedMu) ? System.Convert.ToDouble(savedMu, CultureInfo.InvariantCulture) : 1.0;
        var ax = Buffer(state, "ax", p);
        long step = NextStep(state);
        var g = group.GetBool("maximize") ? -grad : grad;
        if (wd != 0) g = g + p * wd;
        p.Mul_(1 - lambd * eta);
        p.Sub_(g * eta);
        if (mu != 1) ax.Add_((p - ax) * mu);
        else ax.Copy_(p);
        state["eta"] = lr / Math.Pow(1 + lambd * lr * step, alpha);
        state["mu"] = 1 / Math.Max(1, step - t0);
    }
}
