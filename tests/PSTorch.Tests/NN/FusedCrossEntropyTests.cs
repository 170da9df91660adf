using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>
/// The fused cross-entropy op (IBackend.CrossEntropy) against the composition it replaced: log_softmax, nll_loss and
/// the smoothing term built from separate ops, for values and gradients.
/// </summary>
public class FusedCrossEntropyTests
{
    static readonly long[] Targets = [2, 0, 3, 1, 3, 0];

    /// <summary>The loss from separate differentiable ops: (1 - s) nll(log_softmax) + s / C * smoothing, reduced as PyTorch.</summary>
    static Tensor Composed(Tensor x, Tensor target, Tensor? weight, long ignoreIndex, string reduction, double s)
    {
        var logp = x.LogSoftmax(1);
        var nll = Functional.NllLoss(logp, target, weight, ignoreIndex, reduction);
        if (s == 0) return nll;
        var valid = target.Ne(ignoreIndex).To(x.DType);
        var smooth = -(weight != null ? logp * weight : logp).Sum(1) * valid;
        var safe = Torch.Where(target.Ne(ignoreIndex), target, Torch.ZerosLike(target));
        var rowWeights = weight != null ? weight.IndexSelect(0, safe) * valid : valid;
        var reduced = reduction switch { "none" => smooth, "sum" => smooth.Sum(), _ => smooth.Sum() / rowWeights.Sum() };
        return nll * (1 - s) + reduced * (s / x.Size(1));
    }

    [Theory]
    [InlineData(DType.Float64, "mean", false, -100L, 0.0)]
    [InlineData(DType.Float64, "sum", true, 1L, 0.0)]
    [InlineData(DType.Float64, "none", true, 3L, 0.2)]
    [InlineData(DType.Float64, "mean", true, 1L, 0.1)]
    [InlineData(DType.Float32, "mean", true, -100L, 0.1)]
    [InlineData(DType.Float32, "none", false, 0L, 0.0)]
    [InlineData(DType.Float32, "sum", false, -100L, 1.0)]
    public void ValuesAndGradients_MatchTheComposition(DType dtype, string reduction, bool weighted, long ignoreIndex, double smoothing)
    {
        Torch.ManualSeed(7);
        var x = (Torch.Randn([6, 4], dtype) * 3).RequiresGrad_();
        var reference = x.Detach().RequiresGrad_();
        var target = Torch.FromArray(Targets);
        var weight = weighted ? Torch.FromArray(new[] { 0.5, 2, 1, 3 }).To(dtype) : null;
        var fused = Functional.CrossEntropy(x, target, weight, ignoreIndex, reduction, smoothing);
        var composed = Composed(reference, target, weight, ignoreIndex, reduction, smoothing);
        Assert.Equal(composed.Shape, fused.Shape);
        Assert.Equal(dtype, fused.DType);
        double tolerance = dtype == DType.Float64 ? 1e-12 : 1e-5;
        Assert.True(fused.AllClose(composed, tolerance, tolerance), $"loss {fused} vs {composed}");
        var gy = reduction == "none" ? Torch.Randn([6], dtype) : Torch.Full([], 0.7, dtype);
        fused.Backward(gy);
        composed.Backward(gy);
        Assert.True(x.Grad!.AllClose(reference.Grad!, tolerance, tolerance), $"grad {x.Grad} vs {reference.Grad}");
    }

    [Theory]
    [InlineData("mean", 0.0)]
    [InlineData("sum", 0.3)]
    [InlineData("none", 0.1)]
    public void GradChecks_WeightsIgnoreIndexSmoothing_NonContiguousAndImageInputs(string reduction, double smoothing)
    {
        Torch.ManualSeed(8);
        var target = Torch.FromArray(Targets);
        var weight = Torch.FromArray(new[] { 0.5, 2, 1, 3 });
        var x = Torch.Randn([6, 4], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.CrossEntropy(t[0], target, weight, 1, reduction, smoothing), [x]));
        var transposed = Torch.Randn([4, 6], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.CrossEntropy(t[0].T(), target, null, 3, reduction, smoothing), [transposed]));
        var image = Torch.Randn([2, 3, 2, 2], DType.Float64, requiresGrad: true);
        var pixels = Torch.Randint(3, [2, 2, 2]);
        Assert.True(Torch.GradCheck(t => Functional.CrossEntropy(t[0], pixels, null, -100, reduction, smoothing), [image]));
    }

    [Fact]
    public void ImageInput_MatchesTheRowsLayout_AndKeepsPyTorchsGradFnNames()
    {
        Torch.ManualSeed(9);
        var image = Torch.Randn([2, 3, 2, 2], DType.Float64).RequiresGrad_();
        var pixels = Torch.Randint(3, [2, 2, 2]);
        var none = Functional.CrossEntropy(image, pixels, reduction: "none");
        Assert.Equal([2L, 2, 2], none.Shape);
        var expected = Composed(image.Detach().Permute(0, 2, 3, 1).Reshape(-1, 3), pixels.Reshape(-1), null, -100, "none", 0).Reshape(2, 2, 2);
        Assert.True(none.AllClose(expected, 1e-12, 1e-12));
        Assert.Equal("NllLoss2DBackward0", Functional.CrossEntropy(image, pixels).GradFn!.Name);
        var rows = Torch.Randn([3, 4], DType.Float64).RequiresGrad_();
        var t = Torch.FromArray(new long[] { 0, 3, 1 });
        Assert.Equal("NllLossBackward0", Functional.CrossEntropy(rows, t).GradFn!.Name);
        Assert.Equal("NllLossBackward0", Functional.CrossEntropy(rows, t, reduction: "none").GradFn!.Name);
        Assert.Equal("AddBackward0", Functional.CrossEntropy(rows, t, labelSmoothing: 0.1).GradFn!.Name);
    }

    [Fact]
    public void SingleSample_AndAllRowsIgnored()
    {
        var logits = Torch.FromArray(new[] { 1.0, 2, 3 });
        double lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        Assert.Equal(lse - 2, Functional.CrossEntropy(logits, Torch.Scalar(1L, DType.Int64)).Item<double>(), 12);
        var none = Functional.CrossEntropy(logits, Torch.Scalar(1L, DType.Int64), reduction: "none");
        Assert.Empty(none.Shape);
        Assert.True(double.IsNaN(Functional.CrossEntropy(Torch.Zeros([2, 3], DType.Float64), Torch.FromArray(new long[] { -100, -100 })).Item<double>()));
    }

    [Fact]
    public void BadInput_GetsPyTorchsErrors()
    {
        var x = Torch.Zeros(3, 4);
        Assert.Equal("Target 4 is out of bounds.", Assert.Throws<IndexOutOfRangeException>(() => Functional.CrossEntropy(x, Torch.FromArray(new long[] { 0, 4, 1 }))).Message);
        Assert.Equal("Target -2 is out of bounds.", Assert.Throws<IndexOutOfRangeException>(() => Functional.CrossEntropy(x, Torch.FromArray(new long[] { 0, -2, 1 }), labelSmoothing: 0.1)).Message);
        Assert.Equal("Expected input batch_size (3) to match target batch_size (2).", Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(x, Torch.FromArray(new long[] { 0, 1 }))).Message);
        Assert.StartsWith("weight tensor should be defined either for all 4 classes", Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(x, Torch.FromArray(new long[] { 0, 1, 2 }), Torch.Ones(3))).Message);
        Assert.Equal("avg is not a valid value for reduction", Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(x, Torch.FromArray(new long[] { 0, 1, 2 }), reduction: "avg")).Message);
        Assert.Equal("label_smoothing must be between 0.0 and 1.0. Got: 1.5", Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(x, Torch.FromArray(new long[] { 0, 1, 2 }), labelSmoothing: 1.5)).Message);
    }
}
