using PSTorch;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;

namespace PSTorch.Tests.Optim;

/// <summary>
/// Each optimizer and option against a reference written from the algorithm boxes of PyTorch's documentation,
/// in plain double arithmetic per element, on the loss sum(c p^2 / 2 + d p) (gradient c p + d).
/// </summary>
public partial class OptimizerUpdateTests
{
    internal static readonly double[] Initial = [1.0, -2.0, 0.5, 1.5, -0.75, 0.25];
    internal static readonly double[] Curvature = [1.0, 2.0, 0.5, 3.0, 1.5, 0.7];
    internal static readonly double[] Offset = [0.3, -0.2, 0.1, -0.5, 0.25, 0.05];
    const int Steps = 5;

    /// <summary>One step of the reference: updates p in place from gradient g at step t (1-based).</summary>
    delegate void ReferenceStep(double[] p, double[] g, int t);

    /// <summary>An optimizer and its reference, compared over <paramref name="StepCount"/> steps.</summary>
    sealed record Case(Func<Parameter, Optimizer> Create, Func<ReferenceStep> Reference, int StepCount = Steps);

    static double[] Zeros() => new double[Initial.Length];

    static ReferenceStep Sgd(double lr, double momentum = 0, double dampening = 0, double wd = 0, bool nesterov = false, bool maximize = false)
    {
        var b = Zeros();
        return (p, grad, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                // torch.optim.SGD negates the gradient for maximize before weight decay and momentum (_single_tensor_sgd)
                double g = maximize ? -grad[i] : grad[i];
                if (wd != 0) g += wd * p[i];
                if (momentum != 0)
                {
                    b[i] = t > 1 ? momentum * b[i] + (1 - dampening) * g : g;
                    g = nesterov ? g + momentum * b[i] : b[i];
                }
                p[i] -= lr * g;
            }
        };
    }

    static ReferenceStep Adam(double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double wd = 0, bool amsgrad = false,
        bool maximize = false, bool decoupled = false)
    {
        double[] m = Zeros(), v = Zeros(), vmax = Zeros();
        return (p, grad, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = maximize ? -grad[i] : grad[i];
                if (decoupled) p[i] -= lr * wd * p[i];
                else if (wd != 0) g += wd * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                vmax[i] = Math.Max(vmax[i], v[i]);
                double vHat = (amsgrad ? vmax[i] : v[i]) / (1 - Math.Pow(beta2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        };
    }

    static ReferenceStep Adagrad(double lr, double lrDecay = 0, double wd = 0, double initialAccumulator = 0, double eps = 1e-10)
    {
        var sum = Enumerable.Repeat(initialAccumulator, Initial.Length).ToArray();
        return (p, grad, t) =>
        {
            double decayedLr = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < p.Length; i++)
            {
                double g = grad[i] + wd * p[i];
                sum[i] += g * g;
                p[i] -= decayedLr * g / (Math.Sqrt(sum[i]) + eps);
            }
        };
    }

    static ReferenceStep Adadelta(double lr = 1.0, double rho = 0.9, double eps = 1e-6, double wd = 0)
    {
        double[] v = Zeros(), u = Zeros();
        return (p, grad, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = grad[i] + wd * p[i];
                v[i] = v[i] * rho + g * g * (1 - rho);
                double dx = Math.Sqrt(u[i] + eps) / Math.Sqrt(v[i] + eps) * g;
                u[i] = u[i] * rho + dx * dx * (1 - rho);
                p[i] -= lr * dx;
            }
        };
    }

    static ReferenceStep RmsProp(double lr = 0.01, double alpha = 0.99, double eps = 1e-8, double wd = 0, double momentum = 0, bool centered = false)
    {
        double[] v = Zeros(), b = Zeros(), gAve = Zeros();
        return (p, grad, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = grad[i] + wd * p[i];
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                double vTilde = v[i];
                if (centered)
                {
                    gAve[i] = gAve[i] * alpha + (1 - alpha) * g;
                    vTilde -= gAve[i] * gAve[i];
                }
                if (momentum > 0)
                {
                    b[i] = momentum * b[i] + g / (Math.Sqrt(vTilde) + eps);
                    p[i] -= lr * b[i];
                }
                else p[i] -= lr * g / (Math.Sqrt(vTilde) + eps);
            }
        };
    }

    static readonly Dictionary<string, Case> Cases = new Dictionary<string, Case>
    {
        ["sgd"] = new(p => new SGD([p], lr: 0.1), () => Sgd(0.1)),
        ["sgd-momentum"] = new(p => new SGD([p], lr: 0.1, momentum: 0.9), () => Sgd(0.1, momentum: 0.9)),
        ["sgd-dampening"] = new(p => new SGD([p], lr: 0.1, momentum: 0.8, dampening: 0.3), () => Sgd(0.1, momentum: 0.8, dampening: 0.3)),
        ["sgd-nesterov"] = new(p => new SGD([p], lr: 0.1, momentum: 0.9, nesterov: true), () => Sgd(0.1, momentum: 0.9, nesterov: true)),
        ["sgd-weight-decay"] = new(p => new SGD([p], lr: 0.1, weightDecay: 0.2), () => Sgd(0.1, wd: 0.2)),
        ["sgd-maximize"] = new(p => new SGD([p], lr: 0.05, momentum: 0.5, maximize: true), () => Sgd(0.05, momentum: 0.5, maximize: true)),
        ["sgd-all"] = new(p => new SGD([p], lr: 0.05, momentum: 0.7, dampening: 0.1, weightDecay: 0.3, maximize: true),
            () => Sgd(0.05, momentum: 0.7, dampening: 0.1, wd: 0.3, maximize: true)),
        ["adam"] = new(p => new Adam([p], lr: 0.1), () => Adam(0.1)),
        ["adam-amsgrad"] = new(p => new Adam([p], lr: 0.1, betas: (0.8, 0.5), amsgrad: true), () => Adam(0.1, 0.8, 0.5, amsgrad: true)),
        ["adam-weight-decay"] = new(p => new Adam([p], lr: 0.1, weightDecay: 0.3), () => Adam(0.1, wd: 0.3)),
        ["adam-maximize"] = new(p => new Adam([p], lr: 0.1, eps: 1e-3, maximize: true), () => Adam(0.1, eps: 1e-3, maximize: true)),
        ["adamw"] = new(p => new AdamW([p], lr: 0.1, weightDecay: 0.3), () => Adam(0.1, wd: 0.3, decoupled: true)),
        ["adamw-amsgrad"] = new(p => new AdamW([p], lr: 0.1, betas: (0.8, 0.5), amsgrad: true), () => Adam(0.1, 0.8, 0.5, wd: 0.01, amsgrad: true, decoupled: true)),
        ["adagrad"] = new(p => new Adagrad([p], lr: 0.1), () => Adagrad(0.1)),
        ["adagrad-options"] = new(p => new Adagrad([p], lr: 0.2, lrDecay: 0.1, weightDecay: 0.05, initialAccumulatorValue: 0.4, eps: 1e-6),
            () => Adagrad(0.2, lrDecay: 0.1, wd: 0.05, initialAccumulator: 0.4, eps: 1e-6)),
        ["adadelta"] = new(p => new Adadelta([p]), () => Adadelta()),
        ["adadelta-options"] = new(p => new Adadelta([p], lr: 0.5, rho: 0.7, eps: 1e-4, weightDecay: 0.1), () => Adadelta(0.5, 0.7, 1e-4, 0.1)),
        ["rmsprop"] = new(p => new RMSprop([p], lr: 0.01), () => RmsProp(0.01)),
        ["rmsprop-centered"] = new(p => new RMSprop([p], lr: 0.01, alpha: 0.9, centered: true), () => RmsProp(0.01, alpha: 0.9, centered: true)),
        ["rmsprop-momentum"] = new(p => new RMSprop([p], lr: 0.01, momentum: 0.8), () => RmsProp(0.01, momentum: 0.8)),
        ["rmsprop-all"] = new(p => new RMSprop([p], lr: 0.02, alpha: 0.8, eps: 1e-4, weightDecay: 0.1, momentum: 0.5, centered: true),
            () => RmsProp(0.02, 0.8, 1e-4, 0.1, 0.5, true)),
    }.Concat(NewerOptimizerCases()).ToDictionary();

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    /// <summary>A 2x3 parameter holding Initial in row-major order, contiguous or (transposed) strided.</summary>
    internal static Parameter MakeParameter(DType dtype, bool contiguous)
    {
        var data = Torch.FromArray(Initial, [2, 3]).To(dtype);
        return new Parameter(contiguous ? data : data.T().Contiguous().T());
    }

    internal static void LossOf(Parameter p) =>
        (p * p * Torch.FromArray(Curvature, [2, 3]).To(p.DType) * 0.5 + p * Torch.FromArray(Offset, [2, 3]).To(p.DType)).Sum().Backward();

    static double[] Expected(Case c)
    {
        var p = (double[])Initial.Clone();
        var step = c.Reference();
        for (int t = 1; t <= c.StepCount; t++)
            step(p, p.Select((x, i) => Curvature[i] * x + Offset[i]).ToArray(), t);
        return p;
    }

    static void TakeSteps(Optimizer opt, Parameter p, int steps)
    {
        for (int t = 0; t < steps; t++)
        {
            opt.ZeroGrad();
            LossOf(p);
            opt.Step();
        }
    }

    static double[] Run(Case c, Parameter p, int steps)
    {
        TakeSteps(c.Create(p), p, steps);
        return p.To(DType.Float64).ToArray<double>();
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesTheDocumentedUpdateInFloat64(string name)
    {
        var expected = Expected(Cases[name]);
        var actual = Run(Cases[name], MakeParameter(DType.Float64, contiguous: true), Cases[name].StepCount);
        Assert.NotEqual(Initial, expected);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-10);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void StridedParametersMatchTheDocumentedUpdate(string name)
    {
        var expected = Expected(Cases[name]);
        var p = MakeParameter(DType.Float64, contiguous: false);
        Assert.False(p.IsContiguous());
        var actual = Run(Cases[name], p, Cases[name].StepCount);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-10);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Float32ParametersMatchTheDocumentedUpdate(string name)
    {
        var expected = Expected(Cases[name]);
        var p = MakeParameter(DType.Float32, contiguous: true);
        var actual = Run(Cases[name], p, Cases[name].StepCount);
        Assert.Equal(DType.Float32, p.DType);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-4);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void StateDictRoundTripContinuesBitIdentically(string name)
    {
        var c = Cases[name];
        const int total = 6, first = 3;
        var straight = Run(c, MakeParameter(DType.Float64, contiguous: true), total);

        var p = MakeParameter(DType.Float64, contiguous: true);
        var opt = c.Create(p);
        TakeSteps(opt, p, first);
        var saved = opt.StateDict();
        // Stepping the old optimizer further must not change what was saved.
        TakeSteps(opt, p, 1);

        var resumed = new Parameter(Torch.FromArray(Run(c, MakeParameter(DType.Float64, contiguous: true), first), [2, 3]));
        var fresh = c.Create(resumed);
        fresh.LoadStateDict(saved);
        TakeSteps(fresh, resumed, total - first);
        Assert.Equal(straight, resumed.ToArray<double>());
    }

    [Fact]
    public void AmsgradKeepsTheMaximumOfTheSecondMoment()
    {
        var p = MakeParameter(DType.Float64, contiguous: true);
        var opt = new Adam([p], lr: 0.1, betas: (0.8, 0.5), amsgrad: true);
        TakeSteps(opt, p, Steps);
        var state = opt.State[p];
        Assert.Equal(5L, state["step"]);
        var v = ((Tensor)state["exp_avg_sq"]).ToArray<double>();
        var vmax = ((Tensor)state["max_exp_avg_sq"]).ToArray<double>();
        for (int i = 0; i < v.Length; i++) Assert.True(vmax[i] >= v[i]);
        Assert.Contains(vmax.Zip(v), pair => pair.First > pair.Second);
    }
}
