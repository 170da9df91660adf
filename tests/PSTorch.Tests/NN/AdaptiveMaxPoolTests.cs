using PSTorch;
using PSTorch.NN;
using PSTorch.Tests.Engine;
using Xunit;

namespace PSTorch.Tests.NN;

public class AdaptiveMaxPoolTests
{
    /// <summary>
    /// PyTorch's adaptive max pooling written plainly: window [floor(i*L/O), ceil((i+1)*L/O)) per dim, the first
    /// strict maximum or the last NaN, and the backward scattering each gradient to its argmax.
    /// </summary>
    static (double[] Values, long[] Indices) Reference(double[] x, long planes, int h, int w, int oh, int ow)
    {
        var values = new double[planes * oh * ow];
        var indices = new long[values.Length];
        for (long p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int h0 = (int)Math.Floor((double)i * h / oh), h1 = (int)Math.Ceiling((double)(i + 1) * h / oh);
                    int w0 = (int)Math.Floor((double)j * w / ow), w1 = (int)Math.Ceiling((double)(j + 1) * w / ow);
                    double max = double.NegativeInfinity;
                    long best = (long)h0 * w + w0;
                    for (int a = h0; a < h1; a++)
                        for (int b = w0; b < w1; b++)
                        {
                            double v = x[p * h * w + a * w + b];
                            if (v > max || double.IsNaN(v)) (max, best) = (v, (long)a * w + b);
                        }
                    long o = (p * oh + i) * ow + j;
                    (values[o], indices[o]) = (max, best);
                }
        return (values, indices);
    }

    static double[] ReferenceBackward(double[] gradOutput, long[] indices, long planes, int h, int w, int oh, int ow)
    {
        var gx = new double[planes * h * w];
        for (long p = 0; p < planes; p++)
            for (int o = 0; o < oh * ow; o++)
                gx[p * h * w + indices[p * oh * ow + o]] += gradOutput[p * oh * ow + o];
        return gx;
    }

    public static TheoryData<long[], long[]> Shapes() => new()
    {
        { [2, 3, 7, 9], [3, 4] },   // unequal, overlapping windows
        { [1, 2, 5, 5], [7, 8] },   // output larger than the input: windows repeat elements
        { [3, 10, 3], [4, 3] },     // unbatched
        { [2, 6, 4, 1], [1, 1] },   // global max
        { [1, 1, 13, 11], [13, 11] }, // identity
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ValuesIndicesAndGradientsMatchAPlainReference(long[] shape, long[] outputSize)
    {
        var x = Torch.Randn(shape, DType.Float64, generator: new Generator(3)).RequiresGrad_();
        var (values, indices) = Functional.AdaptiveMaxPool2dWithIndices(x, [outputSize[0], outputSize[1]]);
        int h = (int)shape[^2], w = (int)shape[^1], oh = (int)outputSize[0], ow = (int)outputSize[1];
        long planes = x.Numel() / (h * w);
        var (expectedValues, expectedIndices) = Reference(x.Detach().ToArray<double>(), planes, h, w, oh, ow);
        var outShape = shape[..^2].Concat(outputSize).ToArray();
        Assert.Equal(outShape, values.Shape);
        Assert.Equal(outShape, indices.Shape);
        Assert.Equal(DType.Int64, indices.DType);
        Assert.Equal(expectedValues, values.ToArray<double>());
        Assert.Equal(expectedIndices, indices.ToArray<long>());

        var gy = Torch.Randn(outShape, DType.Float64, generator: new Generator(4));
        values.Backward(gy);
        Assert.Equal(ReferenceBackward(gy.ToArray<double>(), expectedIndices, planes, h, w, oh, ow), x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Float32LargeAndNonContiguousInputsMatchTheReference()
    {
        // big enough to split the planes over the threads
        var x = Torch.Randn([8, 16, 20, 21], generator: new Generator(5));
        var (values, indices) = Reference(x.To(DType.Float64).ToArray<double>(), 8 * 16, 20, 21, 6, 8);
        var y = Functional.AdaptiveMaxPool2dWithIndices(x, [6, 8]);
        Assert.Equal(DType.Float32, y.Values.DType);
        Assert.Equal(values.Select(v => (float)v), y.Values.ToArray<float>());
        Assert.Equal(indices, y.Indices.ToArray<long>());
        var transposed = x.Transpose(2, 3).Contiguous().Transpose(2, 3);
        Assert.False(transposed.IsContiguous());
        Assert.True(Functional.AdaptiveMaxPool2d(transposed, [6, 8]).Equal(y.Values));
    }

    [Fact]
    public void NoneKeepsTheInputSizeOfThatDim()
    {
        var x = Torch.Randn([2, 3, 5, 6], DType.Float64, generator: new Generator(6));
        Assert.True(Functional.AdaptiveMaxPool2d(x, [3, null]).Equal(Functional.AdaptiveMaxPool2d(x, [3, 6])));
        Assert.True(Functional.AdaptiveMaxPool2d(x, [null, 2]).Equal(Functional.AdaptiveMaxPool2d(x, [5, 2])));
        Assert.True(Functional.AdaptiveMaxPool2d(x, [null]).Equal(x));
        Assert.Equal([3L, 2, 6], Functional.AdaptiveMaxPool2d(x[0], [2, null]).Shape);
        Assert.Equal([2L, 3, 4, 6], new AdaptiveMaxPool2d([4, null]).Call(x).Shape);
        Assert.Equal("AdaptiveMaxPool2d(output_size=(4, None))", new AdaptiveMaxPool2d([4, null]).ToString());
        Assert.Equal("AdaptiveMaxPool2d(output_size=7)", new AdaptiveMaxPool2d(7).ToString());
    }

    [Fact]
    public void UnbatchedEqualsTheBatchOfOne()
    {
        var x = Torch.Randn([1, 4, 9, 7], DType.Float64, generator: new Generator(7));
        var batched = Functional.AdaptiveMaxPool2dWithIndices(x, [4, 3]);
        var unbatched = new AdaptiveMaxPool2d([4, 3]).ForwardWithIndices(x[0]);
        Assert.True(unbatched.Values.Equal(batched.Values[0]));
        Assert.True(unbatched.Indices.Equal(batched.Indices[0]));
    }

    [Fact]
    public void NaNWinsAndTheLastNaNGivesTheIndex()
    {
        // 2x4 -> 1x2: windows columns [0,2) and [2,4); the first holds two NaNs, the second one
        var x = Torch.FromArray(new double[] { double.NaN, 1, 7, 8, 3, double.NaN, double.NaN, 2 }, [1, 2, 4]);
        var (values, indices) = Functional.AdaptiveMaxPool2dWithIndices(x, [1, 2]);
        Assert.All(values.ToArray<double>(), v => Assert.True(double.IsNaN(v)));
        Assert.Equal(new long[] { 5, 6 }, indices.ToArray<long>());
        // a NaN before the maximum still wins
        var y = Torch.FromArray(new float[] { float.NaN, 1, 9, 2 }, [1, 1, 4]);
        Assert.Equal(new long[] { 0 }, Functional.AdaptiveMaxPool1dWithIndices(y, 1).Indices.ToArray<long>());
    }

    [Fact]
    public void TiesTakeTheFirstIndexOfEachWindow()
    {
        // 5 -> 3 along each dim: windows [0,2), [1,4), [3,5)
        var (values, indices) = Functional.AdaptiveMaxPool2dWithIndices(Torch.Ones(1, 1, 5, 5), [3]);
        Assert.All(values.ToArray<float>(), v => Assert.Equal(1f, v));
        long[] starts = [0, 1, 3];
        Assert.Equal(starts.SelectMany(r => starts.Select(c => r * 5 + c)), indices.ToArray<long>());
    }

    [Fact]
    public void BackwardAccumulatesWhereOverlappingWindowsShareTheirMaximum()
    {
        // 3x3 -> 2x2: windows [0,2) and [1,3) per dim all hold the centre, the maximum
        var x = Torch.FromArray(new double[] { 0, 1, 2, 3, 9, 5, 6, 7, 8 }, [1, 3, 3], requiresGrad: true);
        var y = Functional.AdaptiveMaxPool2d(x, [2]);
        Assert.Equal(new double[] { 9, 9, 9, 9 }, y.ToArray<double>());
        y.Backward(Torch.FromArray(new double[] { 1, 2, 3, 4 }, [1, 2, 2]));
        Assert.Equal(new double[] { 0, 0, 0, 0, 10, 0, 0, 0, 0 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void GradChecksAndGradFnNames()
    {
        // a permutation keeps every value distinct so the max is never tied
        var x = (Torch.Randperm(2 * 3 * 7 * 6).To(DType.Float64) / 10).View(2, 3, 7, 6).RequiresGrad_();
        Assert.True(Torch.GradCheck(t => Functional.AdaptiveMaxPool2d(t[0], [3, 4]), [x]));
        Assert.True(Torch.GradCheck(t => Functional.AdaptiveMaxPool2d(t[0], [9, null]), [x]));
        Assert.True(Torch.GradCheck(t => Functional.AdaptiveMaxPool2d(t[0][1], [2]), [x]));
        var line = (Torch.Randperm(3 * 11).To(DType.Float64) / 10).View(3, 11).RequiresGrad_();
        Assert.True(Torch.GradCheck(t => Functional.AdaptiveMaxPool1d(t[0], 4), [line]));
        Assert.Equal("AdaptiveMaxPool2DBackward0", Functional.AdaptiveMaxPool2d(x, [2]).GradFn!.Name);
        // PyTorch's adaptive_max_pool1d is the 2-d op between an unsqueeze and a squeeze
        var pooled1d = new AdaptiveMaxPool1d(4).Call(line);
        Assert.Equal("SqueezeBackward1", pooled1d.GradFn!.Name);
        Assert.Equal("AdaptiveMaxPool2DBackward0", Assert.Single(pooled1d.GradFn.NextFunctions).Function!.Name);
        Assert.Null(Functional.AdaptiveMaxPool2dWithIndices(x, [2]).Indices.GradFn);
    }

    [Fact]
    public void TheGraphKeepsItsOwnIndicesWhenTheCallerDisposesThem()
    {
        var x = Torch.FromArray(new double[] { 4, 1, 2, 3, 0, 5 }, [1, 2, 3], requiresGrad: true);
        var (values, indices) = Functional.AdaptiveMaxPool2dWithIndices(x, [1, 2]);
        indices.Dispose();
        values.Sum().Backward();
        Assert.Equal(new double[] { 1, 0, 0, 0, 0, 1 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void AdaptiveMaxPool1dMatchesThe2dOpOnAHeightOfOne()
    {
        var x = Torch.Randn([2, 3, 10], DType.Float64, generator: new Generator(8));
        var (values, indices) = new AdaptiveMaxPool1d(4).ForwardWithIndices(x);
        var (expectedValues, expectedIndices) = Reference(x.ToArray<double>(), 6, 1, 10, 1, 4);
        Assert.Equal([2L, 3, 4], values.Shape);
        Assert.Equal(expectedValues, values.ToArray<double>());
        Assert.Equal(expectedIndices, indices.ToArray<long>());
        Assert.True(Functional.AdaptiveMaxPool1d(x[0], 13).Equal(Functional.AdaptiveMaxPool1d(x, 13)[0]));
        Assert.Equal("AdaptiveMaxPool1d(output_size=4)", new AdaptiveMaxPool1d(4).ToString());
    }

    [Fact]
    public void EmptyBatchAndEmptyOutput()
    {
        Assert.Equal([0L, 3, 2, 2], Functional.AdaptiveMaxPool2d(Torch.Empty(0, 3, 4, 4), [2]).Shape);
        var x = Torch.Randn([1, 2, 4, 4], DType.Float64, generator: new Generator(9)).RequiresGrad_();
        var y = Functional.AdaptiveMaxPool2d(x, [0, 3]);
        Assert.Equal([1L, 2, 0, 3], y.Shape);
        y.Sum().Backward();
        Assert.All(x.Grad!.ToArray<double>(), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void ErrorsAreTorchs()
    {
        string Message(Action act) => Assert.Throws<ArgumentException>(act).Message;
        Assert.Equal("adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [4, 4]", Message(() => Functional.AdaptiveMaxPool2d(Torch.Randn(4, 4), [2])));
        Assert.Equal("adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [1, 1, 1, 4, 4]", Message(() => Functional.AdaptiveMaxPool2d(Torch.Randn(1, 1, 1, 4, 4), [2])));
        Assert.Equal("Input dimension should be at least 3", Message(() => Functional.AdaptiveMaxPool2d(Torch.Randn(4, 4), [2, 2])));
        Assert.Equal("adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [2, 3, 0, 4] with dimension 2 being empty",
            Message(() => Functional.AdaptiveMaxPool2d(Torch.Empty(2, 3, 0, 4), [2])));
        Assert.Equal("Trying to create tensor with negative dimension -1: [2, 3, 2, -1]", Message(() => Functional.AdaptiveMaxPool2d(Torch.Randn(2, 3, 4, 4), [2, -1])));
        Assert.Equal("output_size must either be a single int, or a tuple of two ints", Message(() => Functional.AdaptiveMaxPool2d(Torch.Randn(2, 3, 4, 4), [1, 2, 3])));
        Assert.Equal("Expected 2 to 3 dimensions, but got 4-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_max_pool1d)",
            Message(() => Functional.AdaptiveMaxPool1d(Torch.Randn(1, 2, 3, 4), 2)));
        Assert.Equal("adaptive_max_pool1d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [2, 0] with dimension 1 being empty",
            Message(() => Functional.AdaptiveMaxPool1d(Torch.Empty(2, 0), 2)));
    }
}
