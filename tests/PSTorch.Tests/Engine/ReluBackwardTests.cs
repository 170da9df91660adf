using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>
/// ReLU's backward, PyTorch's threshold_backward(grad, output, 0): zero where the output is &lt;= 0 (also where the
/// gradient is NaN), the gradient elsewhere, including where the output is NaN.
/// </summary>
// Torch.SetNumThreads is process-wide: classes that change it run one at a time.
[Collection("NumThreads")]
public class ReluBackwardTests
{
    [Fact]
    public void GradientIsZeroOnlyWhereTheOutputIsAtMostZero()
    {
        var x = Torch.NewTensor(new float[] { -2, 0, 3, float.NaN, 5, -0f, 1e-30f, -1e-30f, 7, 8, 9 }).RequiresGrad_();
        var gy = Torch.NewTensor(new float[] { 1, 2, 3, 4, float.NaN, 6, 7, float.NaN, 9, 10, 11 });
        x.Relu().Backward(gy);
        Assert.Equal(new float[] { 0, 0, 3, 4, float.NaN, 0, 7, 0, 9, 10, 11 }, x.Grad!.ToArray<float>());
        // the same through the mask path (non-contiguous gradient)
        var leaf = x.Detach().RequiresGrad_();
        var strided = Torch.Stack([gy, gy], 1).Select(1, 0);
        leaf.Relu().Backward(strided);
        Assert.Equal(new float[] { 0, 0, 3, 4, float.NaN, 0, 7, 0, 9, 10, 11 }, leaf.Grad!.ToArray<float>());
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
