using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

public class GradCheckTests
{
    [Fact]
    public void PassesForCorrectGradients()
    {
        var a = Torch.FromArray(new double[] { 0.3, -1.2, 2.5, 0.7 }, [2, 2], requiresGrad: true);
        var b = Torch.FromArray(new double[] { 1.5, 0.4 }, [2], requiresGrad: true);
        Assert.True(Torch.GradCheck(x => (x[0] * x[1]).Exp() / (x[0].Sin() + 3) - x[1].Pow(3), [a, b]));
    }

    [Fact]
    public void DetectsAWrongGradient()
    {
        var a = Torch.FromArray(new double[] { 0.3, -1.2 }, [2], requiresGrad: true);
        // a hook that doubles the gradient makes autograd's answer wrong on purpose
        Func<Tensor[], Tensor> f = x => { var y = x[0] * 1; if (y.RequiresGrad) y.RegisterHook(g => g * 2); return y.Exp(); };
        var e = Assert.Throws<InvalidOperationException>(() => Torch.GradCheck(f, [a]));
        Assert.Contains("Jacobian mismatch", e.Message);
    }
}
