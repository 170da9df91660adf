using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>The seed notes' autograd examples, from C#.</summary>
public class AutogradSeedTests
{
    [Fact]
    public void PowMulMean_GradFnNamesAndGradient()
    {
        var x = Torch.Ones([2, 2], requiresGrad: true);
        var y = x.Pow(2);
        var z = y * y * 3;
        var o = z.Sum() / 4;
        Assert.Equal("PowBackward0", y.GradFn!.Name);
        Assert.Equal("MulBackward0", z.GradFn!.Name);
        o.Backward();
        Assert.Equal(new float[] { 3, 3, 3, 3 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void DataChangesAreNotRecorded()
    {
        var x = Torch.Ones([1], requiresGrad: true);
        var y = 2 * x;
        x.Data = x.Data * 100;
        y.Backward();
        Assert.Equal(2f, x.Grad!.ToArray<float>()[0]);
        Assert.Equal(100f, x.ToArray<float>()[0]);
    }

    [Fact]
    public void TransposedViewRefusesView()
    {
        var a = Torch.Ones([3, 4]);
        var b = a.T();
        Assert.False(b.IsContiguous());
        var e = Assert.Throws<InvalidOperationException>(() => b.View(-1));
        Assert.Contains("view size is not compatible with input tensor's size and stride", e.Message);
        Assert.Equal(new long[] { 12 }, b.Reshape(-1).Shape);
    }

    [Fact]
    public void BroadcastAddAndScalarOps()
    {
        var t = Torch.Ones([1, 3]);
        var r = t * 3 + 2;
        Assert.Equal(new float[] { 5, 5, 5 }, r.ToArray<float>());
        var big = Torch.Ones([2, 1]) + Torch.Ones([1, 3]);
        Assert.Equal(new long[] { 2, 3 }, big.Shape);
    }
}

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
