using PSTorch;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;

namespace PSTorch.Tests.Optim;

public class ParamGroupTests
{
    static Parameter Param(params double[] values) => new(Torch.FromArray(values));

    static void SetGrad(Parameter p, params double[] grad) => p.Grad = Torch.FromArray(grad);

    [Fact]
    public void GroupsUseTheirOwnOptionsAndTheOptimizerDefaultsForTheRest()
    {
        Parameter a = Param(1, 2), b = Param(3);
        var opt = new SGD([new ParamGroup([a], new Dictionary<string, object> { ["lr"] = 0.1 }), new ParamGroup([b])], lr: 0.01, momentum: 0.5);
        Assert.Equal(0.1, opt.ParamGroups[0].LearningRate);
        Assert.Equal(0.01, opt.ParamGroups[1].LearningRate);
        Assert.Equal(0.5, opt.ParamGroups[0]["momentum"]);
        SetGrad(a, 1, 1);
        SetGrad(b, 1);
        opt.Step();
        Assert.Equal(new[] { 0.9, 1.9 }, a.ToArray<double>());
        Assert.Equal(new[] { 2.99 }, b.ToArray<double>());
    }

    [Fact]
    public void EditingTheLearningRateOfAGroupChangesTheNextStep()
    {
        var p = Param(1);
        var opt = new Adagrad([p], lr: 0.1);
        opt.ParamGroups[0]["lr"] = 0.5;
        SetGrad(p, 2);
        opt.Step();
        // Adagrad's first step moves by lr * g / sqrt(g^2) = lr.
        Assert.Equal(0.5, p.ToArray<double>()[0], 1e-9);
    }

    [Fact]
    public void AParameterInTwoGroupsIsRejected()
    {
        var p = Param(1);
        var e = Assert.Throws<ArgumentException>(() => new RMSprop([new ParamGroup([p]), new ParamGroup([p])]));
        Assert.Equal("some parameters appear in more than one parameter group", e.Message);
    }

    [Fact]
    public void InvalidOptionsGivePyTorchsMessages()
    {
        var p = Param(1);
        Assert.Equal("Invalid learning rate: -1", Assert.Throws<ArgumentException>(() => new Adagrad([p], lr: -1)).Message);
        Assert.Equal("Invalid lr_decay value: -0.5", Assert.Throws<ArgumentException>(() => new Adagrad([p], lrDecay: -0.5)).Message);
        Assert.Equal("Invalid initial_accumulator_value value: -1", Assert.Throws<ArgumentException>(() => new Adagrad([p], initialAccumulatorValue: -1)).Message);
        Assert.Equal("Invalid rho value: 1.5", Assert.Throws<ArgumentException>(() => new Adadelta([p], rho: 1.5)).Message);
        Assert.Equal("Invalid alpha value: -0.1", Assert.Throws<ArgumentException>(() => new RMSprop([p], alpha: -0.1)).Message);
        Assert.Equal("Invalid momentum value: -1", Assert.Throws<ArgumentException>(() => new RMSprop([p], momentum: -1)).Message);
    }

    [Fact]
    public void StateUsesPyTorchsNames()
    {
        var p = Param(1, -1);
        Optimizer[] optimizers =
        [
            new Adagrad([p]), new Adadelta([p]), new RMSprop([p], momentum: 0.9, centered: true),
            new SGD([p], momentum: 0.9), new Adam([p], amsgrad: true),
        ];
        string[][] expected =
        [
            ["step", "sum"], ["acc_delta", "square_avg", "step"], ["grad_avg", "momentum_buffer", "square_avg", "step"],
            ["momentum_buffer"], ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"],
        ];
        for (int i = 0; i < optimizers.Length; i++)
        {
            SetGrad(p, 0.5, 0.25);
            optimizers[i].Step();
            Assert.Equal(expected[i], optimizers[i].State[p].Keys.Order(StringComparer.Ordinal));
        }
    }
}
