using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

public class ConcatTests
{
    static Tensor Seq(int n, long[] shape, double scale = 0.1) =>
        Torch.FromArray(Enumerable.Range(0, n).Select(i => i * scale - 0.3).ToArray(), shape);

    [Fact]
    public void CatJoinsAlongADimension()
    {
        var a = Torch.FromArray(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var b = Torch.FromArray(new float[] { 5, 6 }, [2, 1]);
        var r = Torch.Cat([a, b], 1);
        Assert.Equal(new long[] { 2, 3 }, r.Shape);
        Assert.Equal(new float[] { 1, 2, 5, 3, 4, 6 }, r.ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 3, 4, 1, 3, 2, 4 }, Torch.Cat([a, a.T()], -2).ToArray<float>());
    }

    [Fact]
    public void CatErrorsArePyTorchs()
    {
        Assert.Equal("torch.cat(): expected a non-empty list of Tensors", Assert.Throws<ArgumentException>(() => Torch.Cat([])).Message);
        var e = Assert.Throws<ArgumentException>(() => Torch.Cat([Torch.Ones(2, 2), Torch.Ones(3, 2)], 1));
        Assert.Equal("Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.", e.Message);
        Assert.Equal("Tensors must have same number of dimensions: got 2 and 1", Assert.Throws<ArgumentException>(() => Torch.Cat([Torch.Ones(2, 2), Torch.Ones(2)])).Message);
    }

    [Fact]
    public void CatPromotesDTypesAndSkipsLegacyEmptyTensors()
    {
        var i = Torch.FromArray(new long[] { 1, 2 });
        var f = Torch.FromArray(new float[] { 0.5f });
        var r = Torch.Cat([i, f]);
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal(new float[] { 1, 2, 0.5f }, r.ToArray<float>());
        var empty = Torch.Zeros([0]);
        var m = Torch.Ones(2, 3);
        Assert.Equal(new long[] { 4, 3 }, Torch.Cat([empty, m, m]).Shape);
        var x = Torch.Ones([2, 3], requiresGrad: true);
        Torch.Cat([empty, x], 1).Sum().Backward();
        Assert.Equal(new long[] { 2, 3 }, x.Grad!.Shape);
    }

    [Fact]
    public void CatGradFnAndGradCheck()
    {
        var a = Seq(6, [2, 3]).RequiresGrad_();
        var b = Seq(4, [2, 2]).RequiresGrad_();
        Assert.Equal("CatBackward0", Torch.Cat([a, b], 1).GradFn!.Name);
        Assert.True(Torch.GradCheck(x => Torch.Cat([x[0], x[1].Sin(), x[0].T()[..2]], 1), [a, b]));
        Assert.True(Torch.GradCheck(x => Torch.Cat([x[0].T(), x[0].T()]), [a]));
    }

    [Fact]
    public void StackAddsADimension()
    {
        var a = Torch.FromArray(new float[] { 1, 2 });
        var b = Torch.FromArray(new float[] { 3, 4 });
        Assert.Equal(new float[] { 1, 2, 3, 4 }, Torch.Stack([a, b]).ToArray<float>());
        var s1 = Torch.Stack([a, b], 1);
        Assert.Equal(new long[] { 2, 2 }, s1.Shape);
        Assert.Equal(new float[] { 1, 3, 2, 4 }, s1.ToArray<float>());
        Assert.Equal(new long[] { 2, 2 }, Torch.Stack([a, b], -1).Shape);
        var e = Assert.Throws<ArgumentException>(() => Torch.Stack([a, Torch.Ones(3)]));
        Assert.Equal("stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1", e.Message);
        Assert.Equal(DType.Float64, Torch.Stack([a, b.Double()]).DType);
    }

    [Fact]
    public void StackGradFnAndGradCheck()
    {
        var a = Seq(6, [2, 3]).RequiresGrad_();
        var b = Seq(6, [2, 3], 0.2).RequiresGrad_();
        Assert.Equal("StackBackward0", Torch.Stack([a, b]).GradFn!.Name);
        Assert.True(Torch.GradCheck(x => Torch.Stack([x[0], x[1].Exp(), x[0]], 1), [a, b]));
        Assert.True(Torch.GradCheck(x => Torch.Stack([x[0].T(), x[1].T()], 2), [a, b]));
    }

    [Fact]
    public void StaticSplitFormsMatchTheMethods()
    {
        var t = Seq(10, [10]);
        Assert.Equal(new long[] { 4, 4, 2 }, Torch.Chunk(t, 3).Select(c => c.Numel()).ToArray());
        Assert.Equal(new long[] { 3, 3, 3, 1 }, Torch.Split(t, 3).Select(c => c.Numel()).ToArray());
        Assert.Equal(new long[] { 2, 8 }, Torch.Split(t, [2L, 8L]).Select(c => c.Numel()).ToArray());
        Assert.Equal(10, Torch.Unbind(t).Length);
        Assert.Equal(t.ToArray<double>(), Torch.Cat(Torch.Chunk(t, 3)).ToArray<double>());
    }

    [Fact]
    public void RepeatTiles()
    {
        var t = Torch.FromArray(new float[] { 1, 2, 3 });
        var r = t.Repeat(2, 2);
        Assert.Equal(new long[] { 2, 6 }, r.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3 }, r.ToArray<float>());
        var x = Seq(6, [2, 3]).RequiresGrad_();
        Assert.Equal("RepeatBackward0", x.Repeat(1, 2).GradFn!.Name);
        Assert.True(Torch.GradCheck(a => a[0].Repeat(2, 1, 3), [x]));
        Assert.True(Torch.GradCheck(a => a[0].T().Repeat(2, 2), [x]));
    }
}
