using PSTorch;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;

namespace PSTorch.Tests.Optim;

/// <summary>
/// The schedulers PyTorch composes from functions and other schedulers, against the closed forms of
/// torch/optim/lr_scheduler.py, for 20 epochs.
/// </summary>
public class LRSchedulerParityTests
{
    const int Epochs = 20;

    static SGD Sgd(double lr = 0.1, int groups = 1) =>
        new(Enumerable.Range(0, groups).Select(i => new ParamGroup([new Parameter(Torch.Ones(2))], new Dictionary<string, object> { ["lr"] = lr * (i + 1) })), lr: lr, momentum: 0.9);

    /// <summary>get_last_lr of group <paramref name="group"/> at construction and after each step.</summary>
    static double[] Sequence(LRScheduler scheduler, int group = 0)
    {
        var lrs = new List<double> { scheduler.GetLastLr()[group] };
        for (int i = 0; i < Epochs; i++)
        {
            scheduler.Step();
            Assert.Equal(scheduler.Optimizer.ParamGroups[group].LearningRate, scheduler.GetLastLr()[group]);
            lrs.Add(scheduler.GetLastLr()[group]);
        }
        return lrs.ToArray();
    }

    static void AssertSequence(Func<int, double> expected, double[] actual, double tolerance = 1e-12)
    {
        for (int e = 0; e < actual.Length; e++)
            Assert.True(Math.Abs(expected(e) - actual[e]) <= tolerance, $"epoch {e}: expected {expected(e)}, got {actual[e]}");
    }

    [Fact]
    public void LambdaLR_ScalesEachGroupsInitialLrByItsFunction()
    {
        var opt = Sgd(groups: 2);
        var scheduler = new LambdaLR(opt, [e => Math.Pow(0.95, e), e => 1.0 / (e + 1)]);
        var lrs0 = new List<double> { scheduler.GetLastLr()[0] };
        var lrs1 = new List<double> { scheduler.GetLastLr()[1] };
        for (int i = 0; i < Epochs; i++)
        {
            scheduler.Step();
            lrs0.Add(scheduler.GetLastLr()[0]);
            lrs1.Add(scheduler.GetLastLr()[1]);
        }
        AssertSequence(e => 0.1 * Math.Pow(0.95, e), lrs0.ToArray());
        AssertSequence(e => 0.2 / (e + 1), lrs1.ToArray());
        Assert.Equal("Expected 2 lr_lambdas, but got 1", Assert.Throws<ArgumentException>(() => new LambdaLR(Sgd(groups: 2), [e => 1.0])).Message);
    }

    [Fact]
    public void MultiplicativeLR_MultipliesTheCurrentLrFromEpochOne() =>
        AssertSequence(e => 0.1 * Math.Pow(0.9, e), Sequence(new MultiplicativeLR(Sgd(), e => 0.9)));

    [Fact]
    public void ConstantLR_HoldsTheFactorUntilTotalIters()
    {
        AssertSequence(e => e < 4 ? 0.05 : 0.1, Sequence(new ConstantLR(Sgd(), factor: 0.5, totalIters: 4)));
        Assert.Equal("Constant multiplicative factor expected to be between 0 and 1.",
            Assert.Throws<ArgumentException>(() => new ConstantLR(Sgd(), factor: 1.5)).Message);
    }

    [Fact]
    public void PolynomialLR_DecaysToZeroAtTotalIters() =>
        AssertSequence(e => 0.1 * Math.Pow(1 - Math.Min(e, 10) / 10.0, 2), Sequence(new PolynomialLR(Sgd(), totalIters: 10, power: 2)));

    [Fact]
    public void SequentialLR_LinearWarmupThenCosineRestartedAtTheMilestone()
    {
        var opt = Sgd();
        var warmup = new LinearLR(opt, startFactor: 0.1, totalIters: 5);
        var cosine = new CosineAnnealingLR(opt, tMax: 10, etaMin: 0.001);
        var scheduler = new SequentialLR(opt, [warmup, cosine], [5]);
        AssertSequence(e => e < 5
            ? 0.1 * (0.1 + 0.9 * e / 5)
            : 0.001 + (0.1 - 0.001) * (1 + Math.Cos(Math.PI * (e - 5) / 10)) / 2, Sequence(scheduler), 1e-12);
        Assert.Equal(Epochs, scheduler.LastEpoch);
        Assert.Equal(Epochs - 5, cosine.LastEpoch);
    }

    [Fact]
    public void SequentialLR_JumpsToTheClosedFormOfTheNextSchedulerAtEachMilestone()
    {
        var opt = Sgd();
        var scheduler = new SequentialLR(opt,
            [new ConstantLR(opt, factor: 0.5, totalIters: 2), new ExponentialLR(opt, gamma: 0.9), new StepLR(opt, stepSize: 3, gamma: 0.5)], [4, 10]);
        AssertSequence(e => e < 2 ? 0.05 : e < 4 ? 0.1 : e < 10 ? 0.1 * Math.Pow(0.9, e - 4) : 0.1 * Math.Pow(0.5, (e - 10) / 3), Sequence(scheduler));
    }

    [Fact]
    public void SequentialLR_ValidatesItsArguments()
    {
        var opt = Sgd();
        var a = new StepLR(opt, 2);
        Assert.Equal("Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 1 and the number of milestones to be equal to 1",
            Assert.Throws<ArgumentException>(() => new SequentialLR(opt, [a], [3])).Message);
        Assert.StartsWith("SequentialLR does not support `ReduceLROnPlateau` scheduler",
            Assert.Throws<ArgumentException>(() => new SequentialLR(opt, [a, new ReduceLROnPlateau(opt)], [3])).Message);
        Assert.StartsWith("SequentialLR expects all schedulers to belong to the same optimizer",
            Assert.Throws<ArgumentException>(() => new SequentialLR(opt, [a, new StepLR(Sgd(), 2)], [3])).Message);
    }

    [Fact]
    public void SequentialLR_StateDictResumesTheSchedule()
    {
        SequentialLR Make(SGD opt) => new(opt, [new LinearLR(opt, startFactor: 0.2, totalIters: 3), new ExponentialLR(opt, gamma: 0.8)], [3]);
        var opt = Sgd();
        var scheduler = Make(opt);
        for (int i = 0; i < 5; i++) scheduler.Step();
        var optState = opt.StateDict();
        var state = scheduler.StateDict();
        var resumedOpt = Sgd();
        var resumed = Make(resumedOpt);
        resumedOpt.LoadStateDict(optState);
        resumed.LoadStateDict(state);
        for (int i = 0; i < 5; i++)
        {
            scheduler.Step();
            resumed.Step();
            Assert.Equal(scheduler.GetLastLr(), resumed.GetLastLr());
        }
    }

    [Fact]
    public void ChainedScheduler_StepsEverySchedulerInOrder()
    {
        var opt = Sgd(lr: 1.0);
        var scheduler = new ChainedScheduler([new ConstantLR(opt, factor: 0.1, totalIters: 2), new ExponentialLR(opt, gamma: 0.9)]);
        AssertSequence(e => Math.Pow(0.9, e) * (e < 2 ? 0.1 : 1), Sequence(scheduler));
    }

    [Fact]
    public void CosineAnnealingWarmRestarts_RestartsWithPeriodsGrowingByTMult()
    {
        // periods 3, 6, 12: epoch e lies at T_cur = e - 0, e - 3, e - 9 of T_i = 3, 6, 12
        static (int Cur, int Length) Position(int e) => e < 3 ? (e, 3) : e < 9 ? (e - 3, 6) : (e - 9, 12);
        AssertSequence(e => 0.01 + (0.1 - 0.01) * (1 + Math.Cos(Math.PI * Position(e).Cur / Position(e).Length)) / 2,
            Sequence(new CosineAnnealingWarmRestarts(Sgd(), t0: 3, tMult: 2, etaMin: 0.01)));
        AssertSequence(e => 0.1 * (1 + Math.Cos(Math.PI * (e % 4) / 4)) / 2, Sequence(new CosineAnnealingWarmRestarts(Sgd(), t0: 4)));
        Assert.Equal("Expected positive integer T_0, but got 0", Assert.Throws<ArgumentException>(() => new CosineAnnealingWarmRestarts(Sgd(), t0: 0)).Message);
    }

    [Fact]
    public void CosineAnnealingWarmRestarts_StateDictResumesInsideAPeriod()
    {
        var opt = Sgd();
        var scheduler = new CosineAnnealingWarmRestarts(opt, t0: 2, tMult: 3);
        for (int i = 0; i < 4; i++) scheduler.Step();
        var resumedOpt = Sgd();
        var resumed = new CosineAnnealingWarmRestarts(resumedOpt, t0: 2, tMult: 3);
        resumedOpt.LoadStateDict(opt.StateDict());
        resumed.LoadStateDict(scheduler.StateDict());
        for (int i = 0; i < 8; i++)
        {
            scheduler.Step();
            resumed.Step();
            Assert.Equal(scheduler.GetLastLr(), resumed.GetLastLr());
        }
    }

    /// <summary>CyclicLR's get_lr: position x in cycle c, rising over the first stepRatio of it.</summary>
    static double CyclicLr(int e, double baseLr, double maxLr, double up, double down, Func<double, int, double> scale)
    {
        double total = up + down, ratio = up / total, cycle = Math.Floor(1 + e / total), x = 1 + e / total - cycle;
        double factor = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
        return baseLr + (maxLr - baseLr) * factor * scale(cycle, e);
    }

    [Fact]
    public void CyclicLR_TriangularModesAndMomentum()
    {
        var opt = Sgd();
        var triangular = new CyclicLR(opt, baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, stepSizeDown: 2);
        Assert.Equal(0.9, opt.ParamGroups[0].GetDouble("momentum"));
        var lrs = new List<double> { triangular.GetLastLr()[0] };
        var momentums = new List<double> { opt.ParamGroups[0].GetDouble("momentum") };
        for (int i = 0; i < Epochs; i++)
        {
            triangular.Step();
            lrs.Add(triangular.GetLastLr()[0]);
            momentums.Add(opt.ParamGroups[0].GetDouble("momentum"));
        }
        AssertSequence(e => CyclicLr(e, 0.01, 0.1, 4, 2, (_, _) => 1), lrs.ToArray());
        // momentum moves the other way: max_momentum - (max - base) * the lr's fraction of its swing
        AssertSequence(e => 0.9 - 0.1 * (CyclicLr(e, 0.01, 0.1, 4, 2, (_, _) => 1) - 0.01) / 0.09, momentums.ToArray(), 1e-12);
        AssertSequence(e => CyclicLr(e, 0.01, 0.1, 3, 3, (c, _) => 1 / Math.Pow(2, c - 1)),
            Sequence(new CyclicLR(Sgd(), 0.01, 0.1, stepSizeUp: 3, mode: "triangular2")));
        AssertSequence(e => CyclicLR_ExpRange(e), Sequence(new CyclicLR(Sgd(), 0.01, 0.1, stepSizeUp: 5, mode: "exp_range", gamma: 0.9)));
        Assert.Equal(SchedulerInterval.Batch, triangular.Interval);
        Assert.Equal("mode is invalid and scale_fn is None", Assert.Throws<ArgumentException>(() => new CyclicLR(Sgd(), 0.01, 0.1, mode: "square")).Message);
    }

    static double CyclicLR_ExpRange(int e) => CyclicLr(e, 0.01, 0.1, 5, 5, (_, step) => Math.Pow(0.9, step));
}
