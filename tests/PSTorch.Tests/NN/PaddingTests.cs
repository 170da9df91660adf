using PSTorch;
using PSTorch.NN;
using PSTorch.Tests.Engine;
using Xunit;

namespace PSTorch.Tests.NN;

public class PaddingTests
{
    static readonly Tensor Row = TensorAssert.Doubles([1, 2, 3], 1, 1, 3);

    [Theory]
    [InlineData("constant", new double[] { 0, 0, 1, 2, 3, 0 })]
    [InlineData("reflect", new double[] { 3, 2, 1, 2, 3, 2 })]
    [InlineData("replicate", new double[] { 1, 1, 1, 2, 3, 3 })]
    [InlineData("circular", new double[] { 2, 3, 1, 2, 3, 1 })]
    public void PadsTheLastDimInEachMode(string mode, double[] expected)
    {
        var y = Functional.Pad(Row, [2, 1], mode);
        Assert.Equal([1L, 1, 6], y.Shape);
        TensorAssert.Close(expected, y, 0);
    }

    [Fact]
    public void PadListStartsFromTheLastDim()
    {
        var x = TensorAssert.Doubles([1, 2, 3, 4], 1, 2, 2);
        // (left 1, right 0, top 0, bottom 1)
        TensorAssert.Close([0, 1, 2, 0, 3, 4, 0, 0, 0], Functional.Pad(x, [1, 0, 0, 1]), 0);
        TensorAssert.Close([1, 1, 2, 3, 3, 4, 3, 3, 4], Functional.Pad(x, [1, 0, 0, 1], "replicate"), 0);
        TensorAssert.Close([4, 3, 4, 2, 1, 2, 4, 3, 4], Functional.Pad(x, [1, 0, 1, 0], "reflect"), 0);
        // constant padding reaches any dim, takes a value and crops with negative pads
        Assert.Equal([3L, 2, 3], Functional.Pad(x, [0, 1, 0, 0, 1, 1], value: 7).Shape);
        TensorAssert.Close([7, 2, 4], Functional.Pad(x, [-1, 0, 1, 0], value: 7), 0);
        TensorAssert.Close([2], Functional.Pad(Row, [-1, -1]), 0);
        // a non-contiguous view pads the values it shows
        TensorAssert.Close([3, 1, 3, 4, 2, 4], Functional.Pad(x.Transpose(1, 2), [1, 0], "reflect"), 0);
    }

    [Fact]
    public void GradCheckEveryMode()
    {
        var x = TensorAssert.Leaf([0.1, -0.5, 2, 1.5, 0.3, -1.2, 0.7, 0.9, -0.4, 1.1, 0.6, -2], 1, 2, 2, 3);
        foreach (var mode in new[] { "reflect", "replicate", "circular" })
            Assert.True(Torch.GradCheck(t => Functional.Pad(t[0], [2, 1, 1, 0], mode), [x]), mode);
        Assert.True(Torch.GradCheck(t => Functional.Pad(t[0], [1, -1, 0, 2], value: 3), [x]));
    }

    [Fact]
    public void ErrorsAreTorchs()
    {
        Assert.Equal("Padding length must be divisible by 2", Assert.Throws<ArgumentException>(() => Functional.Pad(Row, [1])).Message);
        Assert.Equal("Padding length should be less than or equal to two times the input dimension but got padding length 8 and input of dimension 3",
            Assert.Throws<ArgumentException>(() => Functional.Pad(Row, [1, 1, 1, 1, 1, 1, 1, 1])).Message);
        Assert.Equal("Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 0) at dimension 2 of input [1, 1, 3]",
            Assert.Throws<ArgumentException>(() => Functional.Pad(Row, [3, 0], "reflect")).Message);
        Assert.Equal("Padding value causes wrapping around more than once.", Assert.Throws<ArgumentException>(() => Functional.Pad(Row, [4, 0], "circular")).Message);
        Assert.Equal("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now",
            Assert.Throws<ArgumentException>(() => Functional.Pad(Torch.Randn(3), [1, 1], "replicate")).Message);
        Assert.Equal("Padding mode \"reflect\" doesn't take in value argument", Assert.Throws<ArgumentException>(() => Functional.Pad(Row, [1, 1], "reflect", 2)).Message);
        Assert.Equal("The input size 3, plus negative padding -2 and -2 resulted in a negative output size, which is invalid. Check dimension 2 of your input.",
            Assert.Throws<ArgumentException>(() => Functional.Pad(Row, [-2, -2])).Message);
    }

    [Fact]
    public void LayersPadAsTheirModeAndPrintAsTorch()
    {
        var x = TensorAssert.Doubles([1, 2, 3, 4], 1, 1, 2, 2);
        TensorAssert.Close([0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0], new ZeroPad2d(1).Call(x), 0);
        TensorAssert.Close([5, 1, 2, 5, 5, 3, 4, 5], new ConstantPad1d(1, 5).Call(x), 0);
        Assert.Equal([1L, 1, 3, 4], new ConstantPad2d([1, 1, 0, 1], 2).Call(x).Shape);
        TensorAssert.Close([2, 1, 2, 1, 4, 3, 4, 3], new ReflectionPad1d(1).Call(x.View(1, 2, 2)), 0);
        Assert.Equal([1L, 1, 4, 4], new ReflectionPad2d(1).Call(x).Shape);
        TensorAssert.Close([1, 1, 2, 2, 3, 3, 4, 4], new ReplicationPad1d(1).Call(x.View(1, 2, 2)), 0);
        Assert.Equal([1L, 1, 4, 6], new ReplicationPad2d([2, 2, 1, 1]).Call(x).Shape);
        Assert.Equal("ZeroPad2d((1, 1, 1, 1))", new ZeroPad2d(1).ToString());
        Assert.Equal("ConstantPad1d(padding=(2, 2), value=3.5)", new ConstantPad1d(2, 3.5).ToString());
        Assert.Equal("ConstantPad2d(padding=(1, 1, 0, 1), value=2.0)", new ConstantPad2d([1, 1, 0, 1], 2).ToString());
        Assert.Equal("ReflectionPad1d((2, 2))", new ReflectionPad1d(2).ToString());
        Assert.Equal("ReflectionPad2d((1, 0, 2, 3))", new ReflectionPad2d([1, 0, 2, 3]).ToString());
        Assert.Equal("ReplicationPad2d((1, 1, 1, 1))", new ReplicationPad2d(1).ToString());
    }
}
