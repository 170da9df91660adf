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
