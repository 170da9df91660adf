using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>The float 2x2 stride-2 max-pool kernel against direct loops following PyTorch's rule, on ties, NaN and odd sizes.</summary>
public class MaxPoolKernelPathTests
{
    /// <summary>PyTorch's max_pool2d (2x2, stride 2): the first maximum in row-major order wins, any NaN replaces it.</summary>
    static (float[] Values, long[] Indices) NaiveMaxPool(float[] x, int planes, int h, int w)
    {
        int oh = h / 2, ow = w / 2;
        var values = new float[planes * oh * ow];
        var indices = new long[values.Length];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float max = float.NegativeInfinity;
                    long best = 2 * i * w + 2 * j;
                    for (int a = 0; a < 2; a++)
                        for (int b = 0; b < 2; b++)
                        {
                            long at = (2 * i + a) * w + 2 * j + b;
                            float v = x[p * h * w + at];
                            if (v > max || float.IsNaN(v)) { max = v; best = at; }
                        }
                    values[(p * oh + i) * ow + j] = max;
                    indices[(p * oh + i) * ow + j] = best;
                }
        return (values, indices);
    }

    [Theory]
    [InlineData(28, 28)]
    [InlineData(14, 14)]
    [InlineData(8, 8)]
    [InlineData(7, 9)]
    [InlineData(9, 31)]
    [InlineData(6, 6)]
    public void ForwardAndBackwardMatchDirectLoops(int h, int w)
    {
        const int planes = 6;
        // small integers make ties common; a few NaN and -inf test the rule's corners
        var data = Torch.Randint(-2, 3, [2, 3, h, w]).To(DType.Float32).ToArray<float>();
        var random = new Random(h * 100 + w);
        for (int i = 0; i < data.Length / 10; i++) data[random.Next(data.Length)] = random.Next(3) == 0 ? float.NaN : float.NegativeInfinity;
        var x = Torch.NewTensor(data).View(2, 3, h, w).RequiresGrad_();
        var (values, indices) = Functional.MaxPool2dWithIndices(x, [2]);
        var (expectedValues, expectedIndices) = NaiveMaxPool(data, planes, h, w);
        Assert.Equal(new long[] { 2, 3, h / 2, w / 2 }, values.Shape);
        Assert.Equal(expectedIndices, indices.ToArray<long>());
        Assert.Equal(expectedValues, values.ToArray<float>());

        var gy = Torch.Randn(values.Shape);
        values.Backward(gy);
        var expectedGrad = new float[data.Length];
        var g = gy.ToArray<float>();
        for (int i = 0; i < g.Length; i++) expectedGrad[i / (h / 2 * (w / 2)) * h * w + expectedIndices[i]] += g[i];
        Assert.Equal(expectedGrad, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void NonContiguousInputAndDoubleGradCheck()
    {
        var x = Torch.Randn([2, 10, 3, 12]).Transpose(1, 2); // [2, 3, 10, 12], strided
        Assert.True(Functional.MaxPool2d(x, [2]).Equal(Functional.MaxPool2d(x.Contiguous(), [2])));
        var xd = Torch.Randn([1, 2, 8, 10], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.MaxPool2d(t[0], [2]), [xd]));
    }
}
