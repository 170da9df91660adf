using PSTorch;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;

namespace PSTorch.Tests.Optim;

/// <summary>
/// Adagrad's and RMSprop's fused multi-tensor steps against a per-element float64 reference of PyTorch's documented
/// update rules: two groups with different options, each with contiguous parameters of several sizes (one large
/// enough to be split over threads, odd sizes for the vector tails), over several steps, in float32 and float64.
/// </summary>
public class FusedAdagradRmspropTests
{
    const int Steps = 5;
    static readonly long[][] Shapes = [[1], [7], [33, 5], [40_001]];

    sealed record AdagradOptions(double Lr, double LrDecay, double WeightDecay, double InitialAccumulator, double Eps, bool Maximize)
    {
        public Dictionary<string, object> ToGroupOptions() => new()
        {
            ["lr"] = Lr, ["lr_decay"] = LrDecay, ["weight_decay"] = WeightDecay,
            ["initial_accumulator_value"] = InitialAccumulator, ["eps"] = Eps, ["maximize"] = Maximize,
        };
    }

    sealed record RmspropOptions(double Lr, double Alpha, double Eps, double WeightDecay, double Momentum, bool Centered, bool Maximize)
    {
        public Dictionary<string, object> ToGroupOptions() => new()
        {
            ["lr"] = Lr, ["alpha"] = Alpha, ["eps"] = Eps, ["weight_decay"] = WeightDecay,
            ["momentum"] = Momentum, ["centered"] = Centered, ["maximize"] = Maximize,
        };
    }

    /// <summary>torch.optim.Adagrad's update of one parameter at step t (1-based), in double.</summary>
    static Action<double[], double[], int> AdagradReference(AdagradOptions o, int length)
    {
        var sum = Enumerable.Repeat(o.InitialAccumulator, length).ToArray();
        return (p, grad, t) =>
        {
            double clr = o.Lr / (1 + (t - 1) * o.LrDecay);
            for (int i = 0; i < p.Length; i++)
            {
                double g = (o.Maximize ? -grad[i] : grad[i]) + o.WeightDecay * p[i];
                sum[i] += g * g;
                p[i] -= clr * g / (Math.Sqrt(sum[i]) + o.Eps);
            }
        };
    }

    /// <summary>torch.optim.RMSprop's update of one parameter, in double.</summary>
    static Action<double[], double[], int> RmspropReference(RmspropOptions o, int length)
    {
        double[] squareAvg = new double[length], gradAvg = new double[length], buffer = new double[length];
        return (p, grad, _) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = (o.Maximize ? -grad[i] : grad[i]) + o.WeightDecay * p[i];
                squareAvg[i] = o.Alpha * squareAvg[i] + (1 - o.Alpha) * g * g;
                double avg = squareAvg[i];
                if (o.Centered)
                {
                    gradAvg[i] = o.Alpha * gradAvg[i] + (1 - o.Alpha) * g;
                    avg -= gradAvg[i] * gradAvg[i];
                }
                double d = g / (Math.Sqrt(avg) + o.Eps);
                if (o.Momentum > 0)
                {
                    buffer[i] = o.Momentum * buffer[i] + d;
                    d = buffer[i];
                }
                p[i] -= o.Lr * d;
            }
        };
    }

    static Tensor RandomOf(long[] shape, DType dtype, int seed) =>
        Torch.Randn(shape, DType.Float64, generator: new Generator().ManualSeed(seed)).To(dtype);

    /// <summary>
    /// Steps an optimizer over two groups of the <see cref="Shapes"/> parameters and the float64 reference of each
    /// parameter (its group's options) on the same gradients, and compares every element after each step.
    /// </summary>
    static void AgreesWithTheReference(DType dtype, Func<List<Parameter>, List<Parameter>, Optimizer> create,
        Func<int, int, Action<double[], double[], int>> reference)
    {
        var parameters = new List<Parameter>();
        var expected = new List<double[]>();
        var steps = new List<Action<double[], double[], int>>();
        for (int group = 0; group < 2; group++)
            for (int i = 0; i < Shapes.Length; i++)
            {
                var p = new Parameter(RandomOf(Shapes[i], dtype, 10 * group + i));
                Assert.True(p.IsContiguous());
                parameters.Add(p);
                expected.Add(p.To(DType.Float64).ToArray<double>());
                steps.Add(reference(group, expected[^1].Length));
            }
        var optimizer = create(parameters[..Shapes.Length], parameters[Shapes.Length..]);
        double tolerance = dtype == DType.Float32 ? 2e-5 : 1e-12;
        for (int t = 1; t <= Steps; t++)
        {
            for (int k = 0; k < parameters.Count; k++)
            {
                var grad = RandomOf(parameters[k].ShapeRef.ToArray(), dtype, 1000 * t + k);
                parameters[k].Grad = grad;
                steps[k](expected[k], grad.To(DType.Float64).ToArray<double>(), t);
            }
            optimizer.Step();
            for (int k = 0; k < parameters.Count; k++)
            {
                var actual = parameters[k].To(DType.Float64).ToArray<double>();
                for (int i = 0; i < actual.Length; i++)
                    Assert.True(Math.Abs(actual[i] - expected[k][i]) <= tolerance * (1 + Math.Abs(expected[k][i])),
                        $"step {t}, parameter {k}, element {i}: {actual[i]} vs reference {expected[k][i]}");
            }
        }
    }

    public static TheoryData<DType, int> AdagradCases => new()
    {
        { DType.Float32, 0 }, { DType.Float64, 0 }, { DType.Float32, 1 }, { DType.Float64, 1 },
    };

    static readonly AdagradOptions[][] AdagradGroups =
    [
        [new(0.1, 0, 0, 0, 1e-10, false), new(0.05, 0.3, 0.1, 0.2, 1e-3, true)],
        [new(0.2, 0.1, 0.05, 0.4, 1e-6, false), new(0.01, 0, 0.2, 0, 1e-10, true)],
    ];

    [Theory]
    [MemberData(nameof(AdagradCases))]
    public void AdagradMatchesTheDocumentedUpdate(DType dtype, int options)
    {
        var groups = AdagradGroups[options];
        AgreesWithTheReference(dtype,
            (first, second) => new Adagrad([new ParamGroup(first, groups[0].ToGroupOptions()), new ParamGroup(second, groups[1].ToGroupOptions())]),
            (group, length) => AdagradReference(groups[group], length));
    }

    public static TheoryData<DType, int> RmspropCases => new()
    {
        { DType.Float32, 0 }, { DType.Float64, 0 }, { DType.Float32, 1 }, { DType.Float64, 1 }, { DType.Float32, 2 }, { DType.Float64, 2 },
    };

    static readonly RmspropOptions[][] RmspropGroups =
    [
        [new(0.01, 0.99, 1e-8, 0, 0, false, false), new(0.02, 0.8, 1e-4, 0.1, 0.5, true, true)],
        [new(0.01, 0.9, 1e-6, 0.05, 0, true, false), new(0.005, 0.95, 1e-3, 0, 0.8, false, true)],
        [new(0.03, 0.7, 1e-8, 0.2, 0.9, true, false), new(0.01, 0.5, 1e-2, 0, 0, false, true)],
    ];

    [Theory]
    [MemberData(nameof(RmspropCases))]
    public void RmspropMatchesTheDocumentedUpdate(DType dtype, int options)
    {
        var groups = RmspropGroups[options];
        AgreesWithTheReference(dtype,
            (first, second) => new RMSprop([new ParamGroup(first, groups[0].ToGroupOptions()), new ParamGroup(second, groups[1].ToGroupOptions())]),
            (group, length) => RmspropReference(groups[group], length));
    }

    // The fused path keeps PyTorch's state names and layout: a state dict saved after fused steps loads into a new
    // optimizer, which then continues exactly as the original.
    [Theory]
    [InlineData("adagrad")]
    [InlineData("rmsprop")]
    public void AStateDictSavedAfterFusedStepsContinuesExactly(string name)
    {
        Optimizer Create(Parameter p) => name == "adagrad"
            ? new Adagrad([p], lr: 0.05, lrDecay: 0.1, initialAccumulatorValue: 0.1)
            : new RMSprop([p], lr: 0.01, momentum: 0.5, centered: true);
        var original = new Parameter(RandomOf([3, 50], DType.Float32, 1));
        var optimizer = Create(original);
        for (int t = 0; t < 3; t++)
        {
            original.Grad = RandomOf([3, 50], DType.Float32, 20 + t);
            optimizer.Step();
        }
        var saved = optimizer.StateDict();
        string[] expectedKeys = name == "adagrad" ? ["step", "sum"] : ["step", "square_avg", "grad_avg", "momentum_buffer"];
        Assert.Equal(expectedKeys, saved.State[0].Keys);
        Assert.Equal(3L, saved.State[0]["step"]);

        var resumed = new Parameter(original.Detach().Clone());
        var resumedOptimizer = Create(resumed);
        resumedOptimizer.LoadStateDict(saved);
        for (int t = 3; t < 5; t++)
        {
            var grad = RandomOf([3, 50], DType.Float32, 20 + t);
            original.Grad = grad;
            resumed.Grad = grad.Clone();
            optimizer.Step();
            resumedOptimizer.Step();
        }
        Assert.Equal(original.ToArray<float>(), resumed.ToArray<float>());
    }

    // The fused path allocates no temporaries; the formula-level update allocates several tensors per parameter.
    [Theory]
    [InlineData("adagrad")]
    [InlineData("rmsprop")]
    public void SteadyStateStepAllocatesAlmostNothing(string name)
    {
        var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        var parameters = model.Parameters().ToList();
        foreach (var p in parameters) p.Grad = Torch.OnesLike(p);
        Optimizer opt = name == "adagrad"
            ? new Adagrad(parameters, lr: 1e-3, weightDecay: 1e-4)
            : new RMSprop(parameters, lr: 1e-3, momentum: 0.9, centered: true);
        // Past the JIT's tiering (its one-time allocations are not the step's).
        for (int i = 0; i < 50; i++) opt.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) opt.Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        // Only the boxed step count of each parameter (24 bytes) is allocated.
        Assert.True(perStep <= 48 * parameters.Count, $"{perStep} bytes allocated per step");
    }
}
