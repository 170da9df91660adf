using PSTorch;
using PSTorch.IO;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;
using static PSTorch.Tests.Optim.OptimizerUpdateTests;

namespace PSTorch.Tests.Optim;

/// <summary>
/// LBFGS: its fixed-step iterations against a float64 reference of torch/optim/lbfgs.py's two-loop recursion, the
/// strong-Wolfe line search reaching the minimum of a quadratic and of Rosenbrock's function, state_dict round trip, errors.
/// </summary>
public class LBFGSTests
{
    static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    static double[] GradientAt(double[] p) => p.Select((x, i) => Curvature[i] * x + Offset[i]).ToArray();

    /// <summary>
    /// <paramref name="iterations"/> iterations of L-BFGS with step lr (the first scaled by min(1, 1/|g|_1)), as
    /// lbfgs.py runs them without a line search; consecutive steps continue one sequence of iterations.
    /// </summary>
    static double[] Reference(double lr, int historySize, int iterations)
    {
        var p = (double[])Initial.Clone();
        var g = GradientAt(p);
        var dirs = new List<double[]>();
        var steps = new List<double[]>();
        var ro = new List<double>();
        double hDiag = 1, t = 0;
        double[] d = [], prevG = [];
        for (int k = 1; k <= iterations; k++)
        {
            if (k == 1) d = g.Select(x => -x).ToArray();
            else
            {
                var y = g.Zip(prevG, (a, b) => a - b).ToArray();
                var s = d.Select(x => x * t).ToArray();
                double ys = Dot(y, s);
                if (ys > 1e-10)
                {
                    if (dirs.Count == historySize) { dirs.RemoveAt(0); steps.RemoveAt(0); ro.RemoveAt(0); }
                    dirs.Add(y);
                    steps.Add(s);
                    ro.Add(1 / ys);
                    hDiag = ys / Dot(y, y);
                }
                var al = new double[dirs.Count];
                var q = g.Select(x => -x).ToArray();
                for (int i = dirs.Count - 1; i >= 0; i--)
                {
                    al[i] = Dot(steps[i], q) * ro[i];
                    for (int j = 0; j < q.Length; j++) q[j] -= al[i] * dirs[i][j];
                }
                d = q.Select(x => x * hDiag).ToArray();
                for (int i = 0; i < dirs.Count; i++)
                {
                    double be = Dot(dirs[i], d) * ro[i];
                    for (int j = 0; j < d.Length; j++) d[j] += (al[i] - be) * steps[i][j];
                }
            }
            prevG = g;
            t = k == 1 ? Math.Min(1, 1 / g.Sum(Math.Abs)) * lr : lr;
            for (int j = 0; j < p.Length; j++) p[j] += t * d[j];
            g = GradientAt(p);
        }
        return p;
    }

    static Func<Tensor> Closure(Optimizer opt, Parameter p) => () =>
    {
        opt.ZeroGrad();
        var loss = (p * p * Torch.FromArray(Curvature, [2, 3]).To(p.DType) * 0.5 + p * Torch.FromArray(Offset, [2, 3]).To(p.DType)).Sum();
        loss.Backward();
        return loss;
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FixedStepIterationsMatchTheReference(bool contiguous)
    {
        // two steps of 4 iterations with a history of 3: 8 iterations in all, the oldest curvature pairs dropped
        var expected = Reference(lr: 0.5, historySize: 3, iterations: 8);
        var p = MakeParameter(DType.Float64, contiguous);
        var opt = new LBFGS([p], lr: 0.5, maxIter: 4, historySize: 3);
        opt.Step(Closure(opt, p));
        opt.Step(Closure(opt, p));
        var actual = p.ToArray<double>();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
        var state = opt.State[p];
        Assert.Equal(8L, state["n_iter"]);
        // each step evaluates at its start and after every iteration but its last
        Assert.Equal(8L, state["func_evals"]);
        Assert.Equal(3, ((Tensor[])state["old_dirs"]).Length);
    }

    [Fact]
    public void StepReturnsTheLossAtTheStartingPoint()
    {
        var p = MakeParameter(DType.Float64, contiguous: true);
        var opt = new LBFGS([p], maxIter: 3);
        double start = Initial.Select((x, i) => Curvature[i] * x * x / 2 + Offset[i] * x).Sum();
        Assert.Equal(start, opt.Step(Closure(opt, p)).Item<double>(), 12);
    }

    /// <summary>The default tolerances stop near the minimum (loss changes below 1e-9); float64 with tight ones reaches it.</summary>
    [Theory]
    [InlineData(DType.Float64, 1e-12, 1e-20, 1e-9)]
    [InlineData(DType.Float64, 1e-7, 1e-9, 1e-4)]
    [InlineData(DType.Float32, 1e-7, 1e-9, 1e-3)]
    public void StrongWolfeFindsTheQuadraticsMinimum(DType dtype, double toleranceGrad, double toleranceChange, double tolerance)
    {
        var p = MakeParameter(dtype, contiguous: true);
        var opt = new LBFGS([p], toleranceGrad: toleranceGrad, toleranceChange: toleranceChange, lineSearchFn: "strong_wolfe");
        opt.Step(Closure(opt, p));
        var actual = p.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < actual.Length; i++) Assert.Equal(-Offset[i] / Curvature[i], actual[i], tolerance);
    }

    [Fact]
    public void StrongWolfeMinimisesRosenbrock()
    {
        var p = new Parameter(Torch.FromArray(new[] { -1.5, 2.0 }));
        var opt = new LBFGS([p], lr: 1, maxIter: 200, toleranceGrad: 1e-12, toleranceChange: 1e-20, lineSearchFn: "strong_wolfe");
        Tensor Rosenbrock()
        {
            opt.ZeroGrad();
            var x = p.Narrow(0, 0, 1);
            var y = p.Narrow(0, 1, 1);
            var loss = ((1 - x) * (1 - x) + (y - x * x) * (y - x * x) * 100).Sum();
            loss.Backward();
            return loss;
        }
        for (int i = 0; i < 5; i++) opt.Step(Rosenbrock);
        var actual = p.ToArray<double>();
        Assert.Equal(1.0, actual[0], 1e-6);
        Assert.Equal(1.0, actual[1], 1e-6);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("strong_wolfe")]
    public void StateDictRoundTripContinuesBitIdentically(string? lineSearchFn)
    {
        var straightP = MakeParameter(DType.Float64, contiguous: true);
        var straight = new LBFGS([straightP], lr: 0.5, maxIter: 2, historySize: 3, lineSearchFn: lineSearchFn);
        for (int i = 0; i < 3; i++) straight.Step(Closure(straight, straightP));

        var p = MakeParameter(DType.Float64, contiguous: true);
        var opt = new LBFGS([p], lr: 0.5, maxIter: 2, historySize: 3, lineSearchFn: lineSearchFn);
        opt.Step(Closure(opt, p));
        var saved = opt.StateDict();
        opt.Step(Closure(opt, p));

        var resumed = new Parameter(Torch.FromArray(Initial, [2, 3]));
        var first = new LBFGS([resumed], lr: 0.5, maxIter: 2, historySize: 3, lineSearchFn: lineSearchFn);
        first.Step(Closure(first, resumed));
        var fresh = new LBFGS([resumed], lr: 0.5, maxIter: 2, historySize: 3, lineSearchFn: lineSearchFn);
        fresh.LoadStateDict(saved);
        fresh.Step(Closure(fresh, resumed));
        fresh.Step(Closure(fresh, resumed));
        Assert.Equal(straightP.ToArray<double>(), resumed.ToArray<double>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("strong_wolfe")]
    public void CheckpointFileRoundTripContinuesBitIdentically(string? lineSearchFn)
    {
        var straightModel = new Linear(3, 2);
        var straightP = straightModel.Weight;
        straightP.Data.Copy_(Torch.FromArray(Initial, [2, 3]));
        var straight = new LBFGS([straightP], lr: 0.5, maxIter: 2, historySize: 3, lineSearchFn: lineSearchFn);
        for (int i = 0; i < 3; i++) straight.Step(Closure(straight, straightP));

        var model = new Linear(3, 2);
        model.Weight.Data.Copy_(Torch.FromArray(Initial, [2, 3]));
        model.Bias!.Data.Copy_(straightModel.Bias!);
        var opt = new LBFGS([model.Weight], lr: 0.5, maxIter: 2, historySize: 3, lineSearchFn: lineSearchFn);
        opt.Step(Closure(opt, model.Weight));
        opt.Step(Closure(opt, model.Weight));
        Assert.NotEmpty((Tensor[])opt.StateDict().State[0]["old_dirs"]);
        var path = Path.Combine(Path.GetTempPath(), $"pstorch-lbfgs-{Guid.NewGuid():N}.safetensors");
        try
        {
            var checkpoint = Checkpoint.Capture(model, opt);
            checkpoint.Save(path);
            opt.Step(Closure(opt, model.Weight)); // the saved file does not follow the live optimizer

            var loaded = Checkpoint.Load(path);
            Assert.Equal(checkpoint.TensorCount, loaded.TensorCount);
            var resumedModel = new Linear(3, 2);
            var fresh = new LBFGS([resumedModel.Weight], lr: 0.5, maxIter: 2, historySize: 3, lineSearchFn: lineSearchFn);
            loaded.Restore(resumedModel, fresh);
            fresh.Step(Closure(fresh, resumedModel.Weight));
            Assert.Equal(straightP.ToArray<float>(), resumedModel.Weight.ToArray<float>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DefaultsAreTorchOptims()
    {
        var opt = new LBFGS([MakeParameter(DType.Float64, contiguous: true)]);
        var g = opt.ParamGroups[0];
        Assert.Equal(new object?[] { 1.0, 20, 25, 1e-7, 1e-9, 100, null },
            new[] { "lr", "max_iter", "max_eval", "tolerance_grad", "tolerance_change", "history_size", "line_search_fn" }.Select(n => g[n]));
    }

    [Fact]
    public void ErrorsAreTorchOptims()
    {
        var p = MakeParameter(DType.Float64, contiguous: true);
        Assert.Equal("Invalid learning rate: -1", Assert.Throws<ArgumentException>(() => new LBFGS([p], lr: -1)).Message);
        var q = new Parameter(Torch.FromArray(new[] { 1.0 }));
        Assert.Equal("LBFGS doesn't support per-parameter options (parameter groups)",
            Assert.Throws<ArgumentException>(() => new LBFGS([new ParamGroup([p]), new ParamGroup([q])])).Message);
        var bogus = new LBFGS([p], lineSearchFn: "bogus");
        Assert.Equal("only 'strong_wolfe' is supported", Assert.Throws<InvalidOperationException>(() => bogus.Step(Closure(bogus, p))).Message);
        var opt = new LBFGS([p]);
        Closure(opt, p)();
        Assert.Contains("needs a closure", Assert.Throws<InvalidOperationException>(() => opt.Step()).Message);
    }
}
