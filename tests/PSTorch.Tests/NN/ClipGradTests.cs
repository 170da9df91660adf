using PSTorch;
using PSTorch.NN;
using PSTorch.NN.Utils;
using Xunit;

namespace PSTorch.Tests.NN;

public class ClipGradTests
{
    static Parameter WithGrad(double[] grad)
    {
        var p = new Parameter(Torch.ZerosLike(Torch.FromArray(grad)));
        p.Grad = Torch.FromArray(grad);
        return p;
    }

    static void AssertScaled(double[] original, double factor, Tensor grad)
    {
        var actual = grad.ToArray<double>();
        for (int i = 0; i < original.Length; i++) Assert.Equal(original[i] * factor, actual[i], 1e-12);
    }

    [Theory]
    [InlineData(2.0, 13.0)]
    [InlineData(1.0, 19.0)]
    [InlineData(double.PositiveInfinity, 12.0)]
    public void ClipGradNormScalesAllGradientsByTheTotalNorm(double normType, double totalNorm)
    {
        Parameter a = WithGrad([3, -4]), b = WithGrad([-12]), noGrad = new(Torch.Ones(2));
        var norm = ClipGrad.ClipGradNorm_([a, b, noGrad], maxNorm: 6.5, normType: normType);
        Assert.Equal(totalNorm, norm.Item<double>(), 1e-12);
        Assert.Equal(0, norm.Dim());
        double factor = 6.5 / (totalNorm + 1e-6);
        AssertScaled([3, -4], factor, a.Grad!);
        AssertScaled([-12], factor, b.Grad!);
        Assert.Null(noGrad.Grad);
    }

    [Fact]
    public void ClipGradNormLeavesSmallGradientsAlone()
    {
        var p = WithGrad([0.3, 0.4]);
        Assert.Equal(0.5, ClipGrad.ClipGradNorm_(p, maxNorm: 1).Item<double>(), 1e-12);
        Assert.Equal(new[] { 0.3, 0.4 }, p.Grad!.ToArray<double>());
    }

    [Fact]
    public void ClipGradNormWithoutGradientsReturnsZero() =>
        Assert.Equal(0.0, ClipGrad.ClipGradNorm_([new Parameter(Torch.Ones(3))], 1.0).Item<double>());

    [Fact]
    public void ClipGradNormOfFloat32GradientsIsFloat32()
    {
        var p = new Parameter(Torch.Zeros(2));
        p.Grad = Torch.FromArray(new float[] { 6, 8 });
        var norm = ClipGrad.ClipGradNorm_(p, 5);
        Assert.Equal(DType.Float32, norm.DType);
        Assert.Equal(new[] { 3f, 4f }, p.Grad.ToArray<float>().Select(v => MathF.Round(v, 5)));
    }

    [Theory]
    [InlineData(2.0, "2.0")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(0.5, "0.5")]
    public void NonFiniteTotalNormIsAnErrorWhenAsked(double normType, string shown)
    {
        var p = WithGrad([1, double.NaN]);
        if (normType == double.PositiveInfinity) p.Grad = Torch.FromArray(new[] { 1, double.PositiveInfinity });
        var e = Assert.Throws<InvalidOperationException>(() => ClipGrad.ClipGradNorm_(p, 1, normType, errorIfNonfinite: true));
        Assert.Equal($"The total norm of order {shown} for gradients from `parameters` is non-finite, so it cannot be clipped. " +
            "To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`", e.Message);
        // Without the check the gradients are scaled by the non-finite norm, as in PyTorch.
        var norm = ClipGrad.ClipGradNorm_(p, 1, normType);
        Assert.False(double.IsFinite(norm.Item<double>()));
    }

    [Fact]
    public void ClipGradValueClampsEveryElement()
    {
        Parameter a = WithGrad([-3, 0.5, 2]), b = WithGrad([1.5]);
        ClipGrad.ClipGradValue_([a, b], 1);
        Assert.Equal(new[] { -1, 0.5, 1 }, a.Grad!.ToArray<double>());
        Assert.Equal(new[] { 1.0 }, b.Grad!.ToArray<double>());
    }
}
