using PSTorch;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;

namespace PSTorch.Tests.Optim;

/// <summary>torch.optim.Optimizer's bookkeeping: which parameters step, the state_dict layout, zero_grad.</summary>
public class OptimizerParityTests
{
    static Parameter P(params double[] values) => new(Torch.FromArray(values));

    [Fact]
    public void ParametersWithoutGradAreSkippedAndGetNoState()
    {
        var (a, b) = (P(1, 2), P(3, 4));
        var opt = new Adam([a, b], lr: 0.1);
        (a * a).Sum().Backward();
        opt.Step();
        Assert.Equal([3.0, 4.0], b.ToArray<double>());
        // Adam's first step: bias-corrected m / (sqrt(v) + eps) = g / (|g| + eps), eps outside the root
        Assert.Equal(1 - 0.1 * 2 / (2 + 1e-8), a.ToArray<double>()[0], 15);
        var state = opt.StateDict();
        Assert.Equal([0L], state.State.Keys);
        Assert.Equal(new[] { "exp_avg", "exp_avg_sq", "step" }, state.State[0].Keys.Order());
    }

    [Fact]
    public void StateDictIndexesParametersAcrossGroupsInOrder()
    {
        var (a, b, c) = (P(1), P(2), P(3));
        var opt = new SGD([new ParamGroup([a, b]), new ParamGroup([c], new Dictionary<string, object> { ["lr"] = 0.5 })], lr: 0.1, momentum: 0.9);
        (a * b * c).Sum().Backward();
        opt.Step();
        var state = opt.StateDict();
        Assert.Equal([0L, 1L], (long[])state.ParamGroups[0]["params"]);
        Assert.Equal([2L], (long[])state.ParamGroups[1]["params"]);
        Assert.Equal(0.5, state.ParamGroups[1]["lr"]);
        Assert.Equal(0.1, state.ParamGroups[0]["lr"]);
        Assert.Equal([0L, 1L, 2L], state.State.Keys.Order());
        // the first step's momentum buffer is the gradient itself (not (1 - dampening) * grad)
        Assert.Equal([6.0], ((Tensor)state.State[0]["momentum_buffer"]).ToArray<double>());
    }

    [Fact]
    public void SgdWithoutMomentumKeepsNoState()
    {
        var a = P(1, 2);
        var opt = new SGD([a], lr: 0.1);
        (a * a).Sum().Backward();
        opt.Step();
        Assert.Empty(opt.StateDict().State);
        Assert.Equal([0.8, 1.6], a.ToArray<double>());
    }

    [Fact]
    public void SgdFirstStepWithDampeningUsesTheRawGradient()
    {
        var a = P(1.0);
        var opt = new SGD([a], lr: 0.1, momentum: 0.9, dampening: 0.5);
        (a * 2).Sum().Backward();
        opt.Step();
        Assert.Equal(1 - 0.1 * 2, a.ToArray<double>()[0], 15);
        opt.Step();
        // buf = 0.9 * 2 + 0.5 * 2 = 2.8
        Assert.Equal(0.8 - 0.1 * 2.8, a.ToArray<double>()[0], 15);
    }

    [Fact]
    public void ZeroGradSetsGradientsToNoneByDefault()
    {
        var a = P(1, 2);
        var opt = new SGD([a], lr: 0.1);
        (a * a).Sum().Backward();
        opt.ZeroGrad(setToNone: false);
        Assert.Equal([0.0, 0.0], a.Grad!.ToArray<double>());
        opt.ZeroGrad();
        Assert.Null(a.Grad);
    }

    [Fact]
    public void AdagradHasItsStateFromConstruction()
    {
        var opt = new Adagrad([P(1, 2)], initialAccumulatorValue: 0.5);
        var state = opt.StateDict().State[0];
        Assert.Equal(0L, state["step"]);
        Assert.Equal([0.5, 0.5], ((Tensor)state["sum"]).ToArray<double>());
    }
}
