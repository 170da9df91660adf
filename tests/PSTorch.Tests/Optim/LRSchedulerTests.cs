using PSTorch;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;

namespace PSTorch.Tests.Optim;

public class LRSchedulerTests
{
    static Parameter Param() => new(Torch.FromArray(new double[] { 1, 2 }));

    static SGD Sgd(double lr = 1.0, double momentum = 0.9) => new([Param()], lr: lr, momentum: momentum);

    /// <summary>The lr after construction (epoch 0) and after each of <paramref name="steps"/> further steps.</summary>
    static double[] Sequence(LRScheduler scheduler, int steps)
    {
        var lrs = new List<double> { scheduler.GetLastLr()[0] };
        for (int i = 0; i < steps; i++)
        {
            scheduler.Step();
            Assert.Equal(scheduler.Optimizer.ParamGroups[0].LearningRate, scheduler.GetLastLr()[0]);
            lrs.Add(scheduler.GetLastLr()[0]);
        }
        Assert.Equal(steps, scheduler.LastEpoch);
        return lrs.ToArray();
    }

    static void AssertClose(double[] expected, double[] actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"epoch {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void StepLRDecaysEveryStepSizeEpochs() =>
        AssertClose([1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01], Sequence(new StepLR(Sgd(), stepSize: 3), 8));

    [Fact]
    public void MultiStepLRDecaysAtMilestonesCountingRepeats() =>
        AssertClose([1, 1, 0.5, 0.5, 0.5, 0.125, 0.125], Sequence(new MultiStepLR(Sgd(), [5, 2, 5], gamma: 0.5), 6));

    [Fact]
    public void ExponentialLRMultipliesEveryEpoch() =>
        AssertClose(Enumerable.Range(0, 7).Select(t => 2 * Math.Pow(0.9, t)).ToArray(), Sequence(new ExponentialLR(Sgd(2.0), 0.9), 6));

    [Fact]
    public void CosineAnnealingFollowsTheClosedFormThroughAndPastTMax()
    {
        const double baseLr = 1.0, etaMin = 0.1;
        const int tMax = 10;
        var expected = Enumerable.Range(0, 36).Select(t => etaMin + (baseLr - etaMin) * (1 + Math.Cos(Math.PI * t / tMax)) / 2).ToArray();
        AssertClose(expected, Sequence(new CosineAnnealingLR(Sgd(baseLr), tMax, etaMin), 35));
    }

    [Fact]
    public void LinearLRScalesFromStartToEndFactor()
    {
        AssertClose([0.5, 0.625, 0.75, 0.875, 1, 1, 1], Sequence(new LinearLR(Sgd(), startFactor: 0.5, endFactor: 1, totalIters: 4), 6));
        AssertClose([2, 1.5, 1, 1], Sequence(new LinearLR(Sgd(2), startFactor: 1, endFactor: 0.5, totalIters: 2), 3));
        var e = Assert.Throws<ArgumentException>(() => new LinearLR(Sgd(), startFactor: 0));
        Assert.Equal("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.", e.Message);
    }

    /// <summary>PyTorch's OneCycleLR formula: anneal between the phase's ends by the fraction of the phase done.</summary>
    static double OneCycle(int t, double[] ends, double[] values, bool cos)
    {
        double start = 0;
        for (int i = 0; i < ends.Length; i++)
        {
            if (t <= ends[i] || i == ends.Length - 1)
            {
                double pct = (t - start) / (ends[i] - start), a = values[i], b = values[i + 1];
                return cos ? b + (a - b) / 2 * (Math.Cos(Math.PI * pct) + 1) : a + (b - a) * pct;
            }
            start = ends[i];
        }
        throw new InvalidOperationException();
    }

    [Theory]
    [InlineData("cos")]
    [InlineData("linear")]
    public void OneCycleLRRisesToMaxLrThenAnnealsToTheMinimum(string strategy)
    {
        var opt = Sgd(momentum: 0.9);
        var scheduler = new OneCycleLR(opt, maxLr: 1.0, totalSteps: 10, annealStrategy: strategy);
        Assert.Equal(SchedulerInterval.Batch, scheduler.Interval);
        var momenta = new List<double> { opt.ParamGroups[0].GetDouble("momentum") };
        var lrs = new List<double> { scheduler.GetLastLr()[0] };
        for (int i = 0; i < 9; i++)
        {
            scheduler.Step();
            lrs.Add(scheduler.GetLastLr()[0]);
            momenta.Add(opt.ParamGroups[0].GetDouble("momentum"));
        }
        double[] ends = [2, 9];
        AssertClose(Enumerable.Range(0, 10).Select(t => OneCycle(t, ends, [0.04, 1, 4e-6], strategy == "cos")).ToArray(), lrs.ToArray());
        AssertClose(Enumerable.Range(0, 10).Select(t => OneCycle(t, ends, [0.95, 0.85, 0.95], strategy == "cos")).ToArray(), momenta.ToArray());
        Assert.Equal(0.04, lrs[0], 1e-15);
        Assert.Equal(0.52, lrs[1], 1e-12);
        Assert.Equal(1.0, lrs[2], 1e-15);
        Assert.Equal(4e-6, lrs[9], 1e-15);
        scheduler.Step(); // step 10 = total_steps is still allowed, as in PyTorch
        var e = Assert.Throws<InvalidOperationException>(scheduler.Step);
        Assert.Equal("Tried to step 11 times. The specified number of total steps is 10", e.Message);
    }

    [Fact]
    public void OneCycleLRThreePhaseWithAdamCyclesBeta1()
    {
        var opt = new Adam([Param()], lr: 0.5, betas: (0.9, 0.99));
        var scheduler = new OneCycleLR(opt, maxLr: 2.0, epochs: 2, stepsPerEpoch: 5, pctStart: 0.3, divFactor: 10, finalDivFactor: 100, threePhase: true,
            baseMomentum: 0.8, maxMomentum: 0.9);
        var lrs = Sequence(scheduler, 9);
        double[] ends = [2, 4, 9];
        AssertClose(Enumerable.Range(0, 10).Select(t => OneCycle(t, ends, [0.2, 2, 0.2, 0.002], cos: true)).ToArray(), lrs);
        Assert.Equal((0.9, 0.99), opt.ParamGroups[0].GetPair("betas"));
        Assert.Equal(2.0, opt.ParamGroups[0]["max_lr"]);
    }

    [Fact]
    public void OneCycleLRValidatesItsArguments()
    {
        Assert.Equal("You must define either total_steps OR (epochs AND steps_per_epoch)",
            Assert.Throws<ArgumentException>(() => new OneCycleLR(Sgd(), 1.0, epochs: 3)).Message);
        Assert.Equal("anneal_strategy must be one of 'cos' or 'linear', instead got exp",
            Assert.Throws<ArgumentException>(() => new OneCycleLR(Sgd(), 1.0, totalSteps: 5, annealStrategy: "exp")).Message);
        Assert.Equal("optimizer must support momentum or beta1 with `cycle_momentum` option enabled",
            Assert.Throws<ArgumentException>(() => new OneCycleLR(new Adagrad([Param()]), 1.0, totalSteps: 5)).Message);
    }

    [Fact]
    public void SchedulersOnOneOptimizerChain()
    {
        var opt = Sgd();
        LRScheduler[] schedulers = [new ExponentialLR(opt, 0.9), new StepLR(opt, 2, 0.1)];
        for (int t = 1; t <= 6; t++)
        {
            foreach (var s in schedulers) s.Step();
            Assert.Equal(Math.Pow(0.9, t) * Math.Pow(0.1, t / 2), opt.ParamGroups[0].LearningRate, 1e-15);
        }
        Assert.Equal(1.0, opt.ParamGroups[0]["initial_lr"]);
    }

    [Fact]
    public void EpochSchedulersSayTheyAreSteppedPerEpoch()
    {
        Assert.Equal(SchedulerInterval.Epoch, new StepLR(Sgd(), 2).Interval);
        Assert.Equal(SchedulerInterval.Epoch, new CosineAnnealingLR(Sgd(), 5).Interval);
        Assert.Equal(SchedulerInterval.Epoch, new ReduceLROnPlateau(Sgd()).Interval);
    }

    static double[] Plateau(ReduceLROnPlateau scheduler, params double[] metrics) =>
        metrics.Select(m => { scheduler.Step(m); return scheduler.GetLastLr()[0]; }).ToArray();

    [Fact]
    public void ReduceLROnPlateauReducesAfterPatienceBadEpochs() =>
        AssertClose([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25], Plateau(new ReduceLROnPlateau(Sgd(), factor: 0.5, patience: 2), 10, 9, 9, 9, 9, 8, 8, 8, 8));

    [Fact]
    public void ReduceLROnPlateauWaitsOutTheCooldown() =>
        AssertClose([1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125], Plateau(new ReduceLROnPlateau(Sgd(), factor: 0.5, patience: 0, cooldown: 2), 5, 5, 5, 5, 5, 5, 5, 5));

    [Fact]
    public void ReduceLROnPlateauThresholdModes()
    {
        // rel: 9.5 is not below 10 * (1 - 0.1) = 9, so it is a bad epoch; 8.9 is.
        AssertClose([1, 0.1, 0.1], Plateau(new ReduceLROnPlateau(Sgd(), patience: 0, threshold: 0.1), 10, 9.5, 8.9));
        // abs: 9.6 is not below 10 - 0.5; 9.4 is.
        AssertClose([1, 0.1, 0.1], Plateau(new ReduceLROnPlateau(Sgd(), patience: 0, threshold: 0.5, thresholdMode: "abs"), 10, 9.6, 9.4));
        // max mode: larger is better.
        AssertClose([1, 1, 0.1], Plateau(new ReduceLROnPlateau(Sgd(), mode: "max", patience: 0, threshold: 0.5, thresholdMode: "abs"), 1, 2, 2.4));
    }

    [Fact]
    public void ReduceLROnPlateauStopsAtMinLr()
    {
        var scheduler = new ReduceLROnPlateau(Sgd(), patience: 0, minLr: 0.05);
        AssertClose([1, 0.1, 0.05, 0.05], Plateau(scheduler, 1, 1, 1, 1));
        Assert.Equal(4, scheduler.LastEpoch);
        Assert.Throws<InvalidOperationException>(scheduler.Step);
        Assert.Equal("Factor should be < 1.0.", Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(Sgd(), factor: 1)).Message);
        Assert.Equal("mode avg is unknown!", Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(Sgd(), mode: "avg")).Message);
    }

    public static TheoryData<string> ResumableSchedulers => new(["step", "cosine", "linear", "onecycle", "plateau"]);

    static LRScheduler CreateScheduler(string name, Optimizer opt) => name switch
    {
        "step" => new StepLR(opt, 2, 0.5),
        "cosine" => new CosineAnnealingLR(opt, 4, 0.01),
        "linear" => new LinearLR(opt, 0.25, 1, 6),
        "onecycle" => new OneCycleLR(opt, 0.5, totalSteps: 12, threePhase: true),
        "plateau" => new ReduceLROnPlateau(opt, factor: 0.5, patience: 1, cooldown: 1),
        _ => throw new ArgumentException(name),
    };

    static double Metric(int epoch) => epoch % 3 == 0 ? 1.0 / (epoch + 1) : 2;

    static void StepScheduler(LRScheduler scheduler, int epoch)
    {
        if (scheduler is ReduceLROnPlateau plateau) plateau.Step(Metric(epoch));
        else scheduler.Step();
    }

    [Theory]
    [MemberData(nameof(ResumableSchedulers))]
    public void StateDictsResumeTheSchedule(string name)
    {
        const int total = 10, first = 4;
        var straightOpt = new Adam([Param()], lr: 0.1);
        var straight = CreateScheduler(name, straightOpt);
        var expected = new List<(double Lr, double Beta1)>();
        for (int epoch = 0; epoch < total; epoch++)
        {
            StepScheduler(straight, epoch);
            expected.Add((straightOpt.ParamGroups[0].LearningRate, straightOpt.ParamGroups[0].GetPair("betas").Item1));
        }

        var opt = new Adam([Param()], lr: 0.1);
        var scheduler = CreateScheduler(name, opt);
        for (int epoch = 0; epoch < first; epoch++) StepScheduler(scheduler, epoch);
        var (optState, schedulerState) = (opt.StateDict(), scheduler.StateDict());

        var resumedOpt = new Adam([Param()], lr: 0.1);
        var resumed = CreateScheduler(name, resumedOpt);
        resumedOpt.LoadStateDict(optState);
        resumed.LoadStateDict(schedulerState);
        Assert.Equal(scheduler.LastEpoch, resumed.LastEpoch);
        Assert.Equal(scheduler.GetLastLr(), resumed.GetLastLr());
        for (int epoch = first; epoch < total; epoch++)
        {
            StepScheduler(resumed, epoch);
            Assert.Equal(expected[epoch], (resumedOpt.ParamGroups[0].LearningRate, resumedOpt.ParamGroups[0].GetPair("betas").Item1));
        }
    }
}
