using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>ReLU's one-pass backward kernel: the gradient where the output is positive, zero elsewhere (also at 0, NaN and where the gradient is NaN).</summary>
// Torch.SetNumThreads is process-wide: classes that change it run one at a time.
[Collection("NumThreads")]
public class ReluBackwardTests
{
    [Fact]
    public void GradientPassesOnlyWhereTheOutputIsPositive()
    {
        var x = Torch.NewTensor(new float[] { -2, 0, 3, float.NaN, 5, -0f, 1e-30f, -1e-30f, 7, 8, 9 }).RequiresGrad_();
        var gy = Torch.NewTensor(new float[] { 1, 2, 3, 4, float.NaN, 6, 7, float.NaN, 9, 10, 11 });
        x.Relu().Backward(gy);
        Assert.Equal(new float[] { 0, 0, 3, 0, float.NaN, 0, 7, 0, 9, 10, 11 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void LargeAndNonContiguousTensorsMatchTheMaskProduct()
    {
        int before = Torch.GetNumThreads();
        Torch.SetNumThreads(2);
        try
        {
            // 300,001 elements: split over two workers with a tail; the transposed case takes the mask path
            foreach (var x in new[] { Torch.Randn(300_001), Torch.Randn(301, 997).T() })
            {
                var leaf = x.Detach().RequiresGrad_();
                var gy = Torch.Randn(x.Shape);
                leaf.Relu().Backward(gy);
                Assert.True(leaf.Grad!.Equal(gy * (x > 0).To(DType.Float32)));
            }
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }

    [Fact]
    public void Float64GradCheck()
    {
        var x = Torch.Randn([4, 7], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => t[0].Relu(), [x]));
    }
}
