using PSTorch;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;

namespace PSTorch.Tests.Optim;

/// <summary>
/// Adamax, NAdam, RAdam, Rprop and ASGD: their references in plain double arithmetic per element from torch/optim's
/// single-tensor code paths (the algorithm boxes of PyTorch's documentation), which join the update theories' cases;
/// their state keys and argument errors.
/// </summary>
public partial class OptimizerUpdateTests
{
    static ReferenceStep Adamax(double lr = 2e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double wd = 0, bool maximize = false)
    {
        double[] m = Zeros(), u = Zeros();
        return (p, grad, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = (maximize ? -grad[i] : grad[i]) + wd * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                u[i] = Math.Max(beta2 * u[i], Math.Abs(g) + eps);
                p[i] -= lr / (1 - Math.Pow(beta1, t)) * m[i] / u[i];
            }
        };
    }

    static ReferenceStep NAdam(double lr = 2e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double wd = 0,
        double momentumDecay = 4e-3, bool decoupled = false, bool maximize = false)
    {
        double[] m = Zeros(), v = Zeros();
        double muProduct = 1;
        return (p, grad, t) =>
        {
            double mu = beta1 * (1 - 0.5 * Math.Pow(0.96, t * momentumDecay));
            double muNext = beta1 * (1 - 0.5 * Math.Pow(0.96, (t + 1) * momentumDecay));
            muProduct *= mu;
            for (int i = 0; i < p.Length; i++)
            {
                double g = maximize ? -grad[i] : grad[i];
                if (decoupled) p[i] -= lr * wd * p[i];
                else g += wd * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double denom = Math.Sqrt(v[i] / (1 - Math.Pow(beta2, t))) + eps;
                p[i] -= lr * (1 - mu) / (1 - muProduct) * g / denom + lr * muNext / (1 - muProduct * muNext) * m[i] / denom;
            }
        };
    }

    static ReferenceStep RAdam(double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double wd = 0,
        bool decoupled = false, bool maximize = false)
    {
        double[] m = Zeros(), v = Zeros();
        return (p, grad, t) =>
        {
            double rhoInf = 2 / (1 - beta2) - 1;
            double rhoT = rhoInf - 2 * t * Math.Pow(beta2, t) / (1 - Math.Pow(beta2, t));
            for (int i = 0; i < p.Length; i++)
            {
                double g = maximize ? -grad[i] : grad[i];
                if (decoupled) p[i] -= lr * wd * p[i];
                else g += wd * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                if (rhoT > 5)
                {
                    double l = Math.Sqrt(1 - Math.Pow(beta2, t)) / (Math.Sqrt(v[i]) + eps);
                    double r = Math.Sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
                    p[i] -= lr * mHat * l * r;
                }
                else p[i] -= lr * mHat;
            }
        };
    }

    static ReferenceStep Rprop(double lr = 1e-2, double etaMinus = 0.5, double etaPlus = 1.2, double stepMin = 1e-6, double stepMax = 50, bool maximize = false)
    {
        double[] prev = Zeros(), stepSize = Enumerable.Repeat(lr, Initial.Length).ToArray();
        return (p, grad, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = maximize ? -grad[i] : grad[i];
                double product = g * prev[i];
                double eta = product > 0 ? etaPlus : product < 0 ? etaMinus : 1;
                stepSize[i] = Math.Clamp(stepSize[i] * eta, stepMin, stepMax);
                if (product < 0) g = 0;
                p[i] -= Math.Sign(g) * stepSize[i];
                prev[i] = g;
            }
        };
    }

    /// <summary>ASGD's update; <paramref name="average"/> receives its running average of the iterates ("ax").</summary>
    static ReferenceStep Asgd(double lr = 1e-2, double lambd = 1e-4, double alpha = 0.75, double t0 = 1e6, double wd = 0, bool maximize = false,
        double[]? average = null)
    {
        var ax = average ?? Zeros();
        double eta = lr, mu = 1;
        return (p, grad, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = (maximize ? -grad[i] : grad[i]) + wd * p[i];
                p[i] = p[i] * (1 - lambd * eta) - eta * g;
                ax[i] = mu != 1 ? ax[i] + mu * (p[i] - ax[i]) : p[i];
            }
            eta = lr / Math.Pow(1 + lambd * lr * t, alpha);
            mu = 1 / Math.Max(1, t - t0);
        };
    }

    static Dictionary<string, Case> NewerOptimizerCases() => new()
    {
        ["adamax"] = new(p => new Adamax([p], lr: 0.1), () => Adamax(0.1)),
        ["adamax-all"] = new(p => new Adamax([p], lr: 0.1, betas: (0.8, 0.5), eps: 1e-3, weightDecay: 0.3, maximize: true),
            () => Adamax(0.1, 0.8, 0.5, 1e-3, 0.3, maximize: true)),
        ["nadam"] = new(p => new NAdam([p], lr: 0.1), () => NAdam(0.1)),
        ["nadam-weight-decay"] = new(p => new NAdam([p], lr: 0.1, betas: (0.8, 0.6), weightDecay: 0.2, momentumDecay: 0.5),
            () => NAdam(0.1, 0.8, 0.6, wd: 0.2, momentumDecay: 0.5)),
        ["nadam-decoupled-maximize"] = new(p => new NAdam([p], lr: 0.1, eps: 1e-3, weightDecay: 0.2, decoupledWeightDecay: true, maximize: true),
            () => NAdam(0.1, eps: 1e-3, wd: 0.2, decoupled: true, maximize: true)),
        // 7 steps with beta2 = 0.99: rho_t passes 5 at step 6, so both branches of RAdam's update run
        ["radam"] = new(p => new RAdam([p], lr: 0.1, betas: (0.9, 0.99)), () => RAdam(0.1, beta2: 0.99), StepCount: 7),
        ["radam-weight-decay-maximize"] = new(p => new RAdam([p], lr: 0.1, betas: (0.8, 0.99), weightDecay: 0.2, maximize: true),
            () => RAdam(0.1, 0.8, 0.99, wd: 0.2, maximize: true), StepCount: 7),
        ["radam-decoupled"] = new(p => new RAdam([p], lr: 0.1, betas: (0.9, 0.99), eps: 1e-3, weightDecay: 0.2, decoupledWeightDecay: true),
            () => RAdam(0.1, beta2: 0.99, eps: 1e-3, wd: 0.2, decoupled: true), StepCount: 7),
        ["rprop"] = new(p => new Rprop([p], lr: 0.1), () => Rprop(0.1), StepCount: 5),
        // large steps overshoot the minimum: signs flip, steps shrink, and step_sizes' bounds clamp
        ["rprop-flips-and-bounds"] = new(p => new Rprop([p], lr: 0.5, etas: (0.4, 1.5), stepSizes: (0.3, 0.9)),
            () => Rprop(0.5, 0.4, 1.5, 0.3, 0.9), StepCount: 6),
        ["rprop-maximize"] = new(p => new Rprop([p], lr: 0.5, maximize: true), () => Rprop(0.5, maximize: true), StepCount: 5),
        ["asgd"] = new(p => new ASGD([p], lr: 0.1), () => Asgd(0.1)),
        ["asgd-all"] = new(p => new ASGD([p], lr: 0.1, lambd: 0.05, alpha: 0.6, t0: 1, weightDecay: 0.2, maximize: true),
            () => Asgd(0.1, 0.05, 0.6, 1, 0.2, maximize: true), StepCount: 5),
    };

    public static TheoryData<string, string[]> StateKeys => new()
    {
        { "adamax", ["exp_avg", "exp_inf", "step"] },
        { "nadam", ["exp_avg", "exp_avg_sq", "mu_product", "step"] },
        { "radam", ["exp_avg", "exp_avg_sq", "step"] },
        { "rprop", ["prev", "step", "step_size"] },
        { "asgd", ["ax", "eta", "mu", "step"] },
    };

    [Theory]
    [MemberData(nameof(StateKeys))]
    public void StateHoldsPyTorchsKeys(string name, string[] keys)
    {
        var p = MakeParameter(DType.Float64, contiguous: true);
        var opt = Cases[name].Create(p);
        TakeSteps(opt, p, 2);
        var state = opt.StateDict().State;
        Assert.Equal([0L], state.Keys);
        Assert.Equal(keys, state[0].Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2L, state[0]["step"]);
    }

    [Fact]
    public void AsgdAveragesTheIteratesAfterT0()
    {
        var average = Zeros();
        var step = Asgd(0.1, 0.05, 0.6, t0: 2, average: average);
        var expected = (double[])Initial.Clone();
        for (int t = 1; t <= 5; t++) step(expected, expected.Select((x, i) => Curvature[i] * x + Offset[i]).ToArray(), t);

        var p = MakeParameter(DType.Float64, contiguous: true);
        var opt = new ASGD([p], lr: 0.1, lambd: 0.05, alpha: 0.6, t0: 2);
        TakeSteps(opt, p, 5);
        var ax = ((Tensor)opt.State[p]["ax"]).ToArray<double>();
        Assert.NotEqual(p.ToArray<double>(), ax);
        for (int i = 0; i < average.Length; i++) Assert.Equal(average[i], ax[i], 1e-12);
        Assert.Equal(1.0 / 3, (double)opt.State[p]["mu"], 15);
        Assert.Equal(0.1 / Math.Pow(1 + 0.05 * 0.1 * 5, 0.6), (double)opt.State[p]["eta"], 15);
    }

    [Fact]
    public void RpropShrinksTheStepWhereTheGradientFlipsAndSkipsThatElement()
    {
        var p = new Parameter(Torch.FromArray(new[] { 1.0, 1.0 }));
        var opt = new Rprop([p], lr: 0.75);
        // gradient 2p - 1 (minimum at 0.5): the first step overshoots to 0.25, where the gradient's sign flips
        for (int t = 0; t < 2; t++)
        {
            opt.ZeroGrad();
            (p * p - p).Sum().Backward();
            opt.Step();
        }
        Assert.Equal([0.25, 0.25], p.ToArray<double>());
        Assert.Equal([0.375, 0.375], ((Tensor)opt.State[p]["step_size"]).ToArray<double>());
        Assert.Equal([0.0, 0.0], ((Tensor)opt.State[p]["prev"]).ToArray<double>());
    }

    public static TheoryData<string, string> ArgumentErrors => new()
    {
        { "adamax-lr", "Invalid learning rate: -1" },
        { "adamax-eps", "Invalid epsilon value: -0.1" },
        { "adamax-beta0", "Invalid beta parameter at index 0: 1" },
        { "adamax-beta1", "Invalid beta parameter at index 1: -0.5" },
        { "adamax-wd", "Invalid weight_decay value: -0.1" },
        { "nadam-lr", "Invalid learning rate: -1" },
        { "nadam-beta1", "Invalid beta parameter at index 1: 1" },
        { "nadam-momentum-decay", "Invalid momentum_decay value: -0.1" },
        { "radam-eps", "Invalid epsilon value: -0.1" },
        { "radam-beta0", "Invalid beta parameter at index 0: 1.5" },
        { "radam-wd", "Invalid weight_decay value: -0.1" },
        { "rprop-lr", "Invalid learning rate: -1" },
        { "rprop-eta-minus", "Invalid eta values: 1, 1.2" },
        { "rprop-eta-plus", "Invalid eta values: 0.5, 0.9" },
        { "asgd-lr", "Invalid learning rate: -1" },
        { "asgd-wd", "Invalid weight_decay value: -0.1" },
    };

    static readonly Dictionary<string, Action<Parameter>> InvalidConstructions = new()
    {
        ["adamax-lr"] = p => new Adamax([p], lr: -1),
        ["adamax-eps"] = p => new Adamax([p], eps: -0.1),
        ["adamax-beta0"] = p => new Adamax([p], betas: (1, 0.5)),
        ["adamax-beta1"] = p => new Adamax([p], betas: (0.5, -0.5)),
        ["adamax-wd"] = p => new Adamax([p], weightDecay: -0.1),
        ["nadam-lr"] = p => new NAdam([p], lr: -1),
        ["nadam-beta1"] = p => new NAdam([p], betas: (0.9, 1)),
        ["nadam-momentum-decay"] = p => new NAdam([p], momentumDecay: -0.1),
        ["radam-eps"] = p => new RAdam([p], eps: -0.1),
        ["radam-beta0"] = p => new RAdam([p], betas: (1.5, 0.9)),
        ["radam-wd"] = p => new RAdam([p], weightDecay: -0.1),
        ["rprop-lr"] = p => new Rprop([p], lr: -1),
        ["rprop-eta-minus"] = p => new Rprop([p], etas: (1, 1.2)),
        ["rprop-eta-plus"] = p => new Rprop([p], etas: (0.5, 0.9)),
        ["asgd-lr"] = p => new ASGD([p], lr: -1),
        ["asgd-wd"] = p => new ASGD([p], weightDecay: -0.1),
    };

    [Theory]
    [MemberData(nameof(ArgumentErrors))]
    public void InvalidArgumentsRaisePyTorchsErrors(string name, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => InvalidConstructions[name](MakeParameter(DType.Float64, contiguous: true)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void DefaultsAreTorchOptims()
    {
        var p = MakeParameter(DType.Float64, contiguous: true);
        Assert.Equal(new object[] { 2e-3, (0.9, 0.999), 1e-8, 0.0, false },
            Options(new Adamax([p]), "lr", "betas", "eps", "weight_decay", "maximize"));
        Assert.Equal(new object[] { 2e-3, (0.9, 0.999), 1e-8, 0.0, 4e-3, false, false },
            Options(new NAdam([p]), "lr", "betas", "eps", "weight_decay", "momentum_decay", "decoupled_weight_decay", "maximize"));
        Assert.Equal(new object[] { 1e-3, (0.9, 0.999), 1e-8, 0.0, false, false },
            Options(new RAdam([p]), "lr", "betas", "eps", "weight_decay", "decoupled_weight_decay", "maximize"));
        Assert.Equal(new object[] { 1e-2, (0.5, 1.2), (1e-6, 50.0), false }, Options(new Rprop([p]), "lr", "etas", "step_sizes", "maximize"));
        Assert.Equal(new object[] { 1e-2, 1e-4, 0.75, 1e6, 0.0, false },
            Options(new ASGD([p]), "lr", "lambd", "alpha", "t0", "weight_decay", "maximize"));
    }

    static object[] Options(Optimizer opt, params string[] names) => names.Select(n => opt.ParamGroups[0][n]).ToArray();
}
