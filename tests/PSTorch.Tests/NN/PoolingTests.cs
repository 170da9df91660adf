using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

public class PoolingTests
{
    static Tensor Grid() => Torch.FromArray(new float[] { 0, 1, 2, 4, 5, 6, 7, 8, 9 }, [1, 1, 3, 3]);

    [Fact]
    public void Pool2dExampleFromTheSeedNotes()
    {
        var x = Grid();
        Assert.Equal(new float[] { 5, 6, 8, 9 }, new MaxPool2d(2, stride: 1).Call(x).ToArray<float>());
        Assert.Equal(new float[] { 2.5f, 3.5f, 6, 7 }, new AvgPool2d(2, stride: 1).Call(x).ToArray<float>());
        Assert.Equal(new long[] { 1, 1, 2, 2 }, new MaxPool2d(2, stride: 1).Call(x).Shape);
    }

    [Fact]
    public void StrideDefaultsToKernelAndPaddingAndCeilMode()
    {
        var x = Torch.Arange(16, DType.Float32).View(1, 1, 4, 4);
        Assert.Equal(new float[] { 5, 7, 13, 15 }, new MaxPool2d(2).Call(x).ToArray<float>());
        // padding 1, stride 2, kernel 3 -> 2x2 windows with -inf padding for max
        Assert.Equal(new float[] { 5, 7, 13, 15 }, Functional.MaxPool2d(x, [3], [2], [1]).ToArray<float>());
        // ceil mode keeps the partial last window
        var y = Torch.Arange(25, DType.Float32).View(1, 1, 5, 5);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, Functional.MaxPool2d(y, [2]).Shape);
        Assert.Equal(new float[] { 6, 8, 9, 16, 18, 19, 21, 23, 24 }, Functional.MaxPool2d(y, [2], ceilMode: true).ToArray<float>());
        // avg with padding: count_include_pad divides by 4, otherwise by the cells inside
        var ones = Torch.Ones(1, 1, 2, 2);
        Assert.Equal(new float[] { 0.25f, 0.5f, 0.5f, 1 }, Functional.AvgPool2d(ones, [2], [1], [1]).Narrow(2, 0, 2).Narrow(3, 0, 2).ToArray<float>());
        Assert.Equal(new float[] { 1, 1, 1, 1 }, Functional.AvgPool2d(ones, [2], [1], [1], countIncludePad: false).Narrow(2, 0, 2).Narrow(3, 0, 2).ToArray<float>());
        Assert.Equal(new float[] { 2 }, Functional.AvgPool2d(ones, [2], divisorOverride: 2).ToArray<float>());
    }

    [Fact]
    public void MaxPoolDilationAndIndices()
    {
        var x = Torch.Arange(36, DType.Float64).View(1, 6, 6).Neg();
        var (values, indices) = Functional.MaxPool2dWithIndices(x, [2], [2], dilation: [2]);
        // the max of -x is its first (top-left) element of each dilated window
        Assert.Equal(new long[] { 1, 2, 2 }, values.Shape);
        Assert.Equal(new long[] { 0, 2, 12, 14 }, indices.ToArray<long>());
        Assert.Equal(new double[] { 0, -2, -12, -14 }, values.ToArray<double>());
    }

    [Fact]
    public void AdaptiveAvgPoolWindows()
    {
        var x = Torch.Arange(20, DType.Float64).View(1, 1, 4, 5);
        // rows [0,2),[2,4); columns [0,3),[2,5)
        var y = Functional.AdaptiveAvgPool2d(x, [2]);
        Assert.Equal(new double[] { (0 + 1 + 2 + 5 + 6 + 7) / 6.0, (2 + 3 + 4 + 7 + 8 + 9) / 6.0, (10 + 11 + 12 + 15 + 16 + 17) / 6.0, (12 + 13 + 14 + 17 + 18 + 19) / 6.0 }, y.ToArray<double>());
        Assert.True(new AdaptiveAvgPool2d(1).Call(x).AllClose(x.Mean([2, 3], keepDim: true)));
        Assert.Equal("AdaptiveAvgPool2d(output_size=(1, 1))", new AdaptiveAvgPool2d([1, 1]).ToString());
    }

    [Fact]
    public void GradChecksWithDistinctValues()
    {
        // a permutation keeps every value distinct so the max is never tied
        var x = (Torch.Randperm(2 * 3 * 7 * 6).To(DType.Float64) / 10).View(2, 3, 7, 6).RequiresGrad_();
        Assert.True(Torch.GradCheck(t => Functional.MaxPool2d(t[0], [3, 2], [2, 1], [1, 1], [1, 2]), [x]));
        Assert.True(Torch.GradCheck(t => Functional.MaxPool2d(t[0], [2], ceilMode: true), [x]));
        Assert.True(Torch.GradCheck(t => Functional.AvgPool2d(t[0], [3], [2], [1], ceilMode: true), [x]));
        Assert.True(Torch.GradCheck(t => Functional.AvgPool2d(t[0], [3, 2], [1, 2], [1, 0], countIncludePad: false), [x]));
        Assert.True(Torch.GradCheck(t => Functional.AdaptiveAvgPool2d(t[0], [3, 4]), [x]));
        Assert.Equal("MaxPool2DWithIndicesBackward0", Functional.MaxPool2d(x, [2]).GradFn!.Name);
        Assert.Equal("AvgPool2DBackward0", Functional.AvgPool2d(x, [2]).GradFn!.Name);
        Assert.Equal("AdaptiveAvgPool2DBackward0", Functional.AdaptiveAvgPool2d(x, [2]).GradFn!.Name);
    }

    [Fact]
    public void LargeInputsSplitOverThreadsGiveTheSameResult()
    {
        var x = Torch.Randn(8, 16, 20, 20);
        var y = Functional.MaxPool2d(x, [2]);
        var reference = x.View(8, 16, 10, 2, 10, 2).Permute(0, 1, 2, 4, 3, 5).Reshape(8, 16, 10, 10, 4).Max(-1).Values;
        Assert.True(y.Equal(reference));
        Assert.True(Functional.AvgPool2d(x, [2]).AllClose(x.View(8, 16, 10, 2, 10, 2).Mean([3, 5]), 1e-5, 1e-6));
        var nonContiguous = x.Transpose(2, 3);
        Assert.True(Functional.MaxPool2d(nonContiguous, [2]).Equal(y.Transpose(2, 3)));
    }

    [Fact]
    public void ReprsAndErrors()
    {
        Assert.Equal("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).ToString());
        Assert.Equal("AvgPool2d(kernel_size=(3, 2), stride=(1, 1), padding=0)", new AvgPool2d([3, 2], [1, 1]).ToString());
        Assert.Equal("pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1",
            Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(Torch.Randn(1, 1, 4, 4), [2], padding: [2])).Message);
        Assert.Equal("Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small",
            Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(Torch.Randn(1, 1, 2, 2), [3])).Message);
        Assert.StartsWith("Expected 3D or 4D (batch mode) tensor", Assert.Throws<ArgumentException>(() => Functional.AvgPool2d(Torch.Randn(4, 4), [2])).Message);
    }
}
