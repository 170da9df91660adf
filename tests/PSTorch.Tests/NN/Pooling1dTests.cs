using PSTorch;
using PSTorch.NN;
using PSTorch.Tests.Engine;
using Xunit;

namespace PSTorch.Tests.NN;

public class Pooling1dTests
{
    static readonly double[] Data = [1, 5, 2, 8, 3, -1, 4, 0, 6, 2, 7, -3];

    [Fact]
    public void MaxPool1dTakesWindowMaximaAlongTheLastDim()
    {
        var x = TensorAssert.Doubles(Data, 2, 1, 6);
        TensorAssert.Close([5, 8, 3, 4, 6, 7], new MaxPool1d(2).Call(x), 0);
        // kernel 3, stride 2, padding 1: windows [-1..1], [1..3], [3..5]
        TensorAssert.Close([5, 8, 8, 4, 6, 7], Functional.MaxPool1d(x, 3, 2, 1), 0);
        // dilation 2: positions {0, 2}, {1, 3}, ...
        TensorAssert.Close([2, 8, 3, 8, 6, 2, 7, 2], Functional.MaxPool1d(x, 2, 1, 0, 2), 0);
        Assert.Equal([1L, 3], Functional.MaxPool1d(TensorAssert.Doubles(Data[..6], 1, 6), 2).Shape);
        Assert.Equal([2L, 1, 4], Functional.MaxPool1d(TensorAssert.Doubles(Data[..7].Concat(Data[..7]).ToArray(), 2, 1, 7), 2, ceilMode: true).Shape);
        Assert.True(Torch.GradCheck(t => Functional.MaxPool1d(t[0], 3, 2, 1), [TensorAssert.Leaf(Data, 2, 1, 6)]));
    }

    [Fact]
    public void AvgPool1dAndAdaptiveAvgPool1dAverageWindows()
    {
        var x = TensorAssert.Doubles(Data, 2, 1, 6);
        TensorAssert.Close([3, 5, 1, 2, 4, 2], new AvgPool1d(2).Call(x), 1e-15);
        // padding 1 counted in the divisor (count_include_pad) or not
        TensorAssert.Close([2, 5, 4 / 3.0, 8 / 3.0], Functional.AvgPool1d(x.Narrow(2, 0, 4), 3, 2, 1), 1e-15);
        TensorAssert.Close([3, 5, 2, 8 / 3.0], Functional.AvgPool1d(x.Narrow(2, 0, 4), 3, 2, 1, countIncludePad: false), 1e-15);
        // 6 -> 4: windows [0,2), [1,3), [3,5), [4,6)
        TensorAssert.Close([3, 3.5, 5.5, 1, 2, 3, 4.5, 2], new AdaptiveAvgPool1d(4).Call(x), 1e-15);
        Assert.True(Torch.GradCheck(t => Functional.AvgPool1d(t[0], 3, 2, 1), [TensorAssert.Leaf(Data, 2, 1, 6)]));
        Assert.True(Torch.GradCheck(t => Functional.AdaptiveAvgPool1d(t[0], 4), [TensorAssert.Leaf(Data, 1, 2, 6)]));
    }

    [Fact]
    public void ErrorsAndReprs()
    {
        Assert.Equal("max_pool1d() Expected 2D or 3D input tensor, but got [2, 1, 2, 3]",
            Assert.Throws<ArgumentException>(() => Functional.MaxPool1d(Torch.Randn(2, 1, 2, 3), 2)).Message);
        Assert.Equal("MaxPool1d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)", new MaxPool1d(3).ToString());
        Assert.Equal("MaxPool1d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)", new MaxPool1d(3, 2, 1, ceilMode: true).ToString());
        Assert.Equal("AvgPool1d(kernel_size=(3,), stride=(2,), padding=(0,))", new AvgPool1d(3, 2).ToString());
        Assert.Equal("AdaptiveAvgPool1d(output_size=5)", new AdaptiveAvgPool1d(5).ToString());
    }
}
