using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

public class NllLossTests
{
    static readonly long[] Targets = [2, 0, 3, 1, 3];

    /// <summary>The definition, row by row: -w[t] * logp[i, t], skipping ignored rows; mean divides by the weights used.</summary>
    static (double[] PerRow, double Sum, double Weights) Reference(double[] logp, long classes, long[] target, double[]? weight, long ignoreIndex)
    {
        var rows = new double[target.Length];
        double sum = 0, weights = 0;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] == ignoreIndex) continue;
            double w = weight?[target[i]] ?? 1;
            rows[i] = -w * logp[i * classes + target[i]];
            sum += rows[i];
            weights += w;
        }
        return (rows, sum, weights);
    }

    [Theory]
    [InlineData(false, -100L)]
    [InlineData(true, -100L)]
    [InlineData(true, 3L)]
    public void MatchesTheDefinition_ForEveryReduction(bool weighted, long ignoreIndex)
    {
        Torch.ManualSeed(3);
        var logp = Torch.Randn([5, 4], DType.Float64).LogSoftmax(1);
        var target = Torch.FromArray(Targets);
        double[] w = [0.5, 2, 1, 3];
        var weight = weighted ? Torch.FromArray(w) : null;
        var (rows, sum, weights) = Reference(logp.ToArray<double>(), 4, Targets, weighted ? w : null, ignoreIndex);

        var none = Functional.NllLoss(logp, target, weight, ignoreIndex, "none");
        Assert.Equal([5L], none.Shape);
        Assert.Equal(rows, none.ToArray<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(sum, Functional.NllLoss(logp, target, weight, ignoreIndex, "sum").Item<double>(), 12);
        Assert.Equal(sum / weights, Functional.NllLoss(logp, target, weight, ignoreIndex).Item<double>(), 12);
    }

    [Fact]
    public void ImageShapedInput_TakesTheClassDimOne()
    {
        Torch.ManualSeed(4);
        var logp = Torch.Randn([2, 3, 2, 2], DType.Float64).LogSoftmax(1);
        var target = Torch.Randint(3, [2, 2, 2]);
        var flat = logp.Permute(0, 2, 3, 1).Reshape(-1, 3);
        var expected = Functional.NllLoss(flat, target.Reshape(-1), reduction: "none").Reshape(2, 2, 2);
        var none = Functional.NllLoss(logp.Detach().RequiresGrad_(), target, reduction: "none");
        Assert.Equal([2L, 2, 2], none.Shape);
        Assert.Equal(expected.ToArray<double>(), none.ToArray<double>());
        Assert.Equal("NllLoss2DBackward0", Functional.NllLoss(logp.Detach().RequiresGrad_(), target).GradFn!.Name);
    }

    [Fact]
    public void SingleSample_WithAScalarTarget()
    {
        var logp = Torch.FromArray(new[] { -0.5, -1.5, -2.5 });
        Assert.Equal(1.5, Functional.NllLoss(logp, Torch.Scalar(1L, DType.Int64)).Item<double>());
    }

    [Fact]
    public void CrossEntropy_IsLogSoftmaxThenNll_WithPyTorchsGradFn()
    {
        var logits = Torch.FromArray(new double[] { 1, 2, 3, 1, 1, 1 }, [2, 3]).RequiresGrad_();
        var loss = Functional.CrossEntropy(logits, Torch.FromArray(new long[] { 2, 0 }));
        Assert.Equal("NllLossBackward0", loss.GradFn!.Name);
        double expected = (-(3 - Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3))) + Math.Log(3)) / 2;
        Assert.Equal(expected, loss.Item<double>(), 12);
        loss.Backward();
        var softmax = logits.Detach().Softmax(1).ToArray<double>();
        double[] onehot = [0, 0, 1, 1, 0, 0];
        Assert.Equal(softmax.Zip(onehot, (p, y) => (p - y) / 2), logits.Grad!.ToArray<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("sum")]
    [InlineData("none")]
    public void GradChecks_WithWeightsAndAnIgnoredRow(string reduction)
    {
        Torch.ManualSeed(5);
        var x = Torch.Randn([5, 4], DType.Float64, requiresGrad: true);
        var target = Torch.FromArray(Targets);
        var weight = Torch.FromArray(new[] { 0.5, 2, 1, 3 });
        Assert.True(Torch.GradCheck(t => Functional.NllLoss(t[0], target, weight, ignoreIndex: 1, reduction: reduction), [x]));
        Assert.True(Torch.GradCheck(t => Functional.CrossEntropy(t[0], target, weight, ignoreIndex: 1, reduction: reduction), [x]));
        var image = Torch.Randn([2, 3, 2, 2], DType.Float64, requiresGrad: true);
        var pixelTargets = Torch.Randint(3, [2, 2, 2]);
        Assert.True(Torch.GradCheck(t => Functional.CrossEntropy(t[0], pixelTargets, reduction: reduction), [image]));
    }

    [Fact]
    public void DoubleBackward_ThroughCrossEntropy_MatchesTheSoftmaxHessian()
    {
        // d/dx of sum(dL/dx * v) = H v, with H = (diag(p) - p p^T) / N per row for the mean loss.
        var x = Torch.FromArray(new double[] { 0.1, -0.4, 0.7, 1.2, 0.3, -0.8 }, [2, 3]).RequiresGrad_();
        var v = Torch.FromArray(new double[] { 1, 2, -1, 0.5, -2, 3 }, [2, 3]);
        var loss = Functional.CrossEntropy(x, Torch.FromArray(new long[] { 1, 2 }));
        var g = Torch.Grad([loss], [x], createGraph: true)[0]!;
        var hv = Torch.Grad([(g * v).Sum()], [x])[0]!.ToArray<double>();
        var p = x.Detach().Softmax(1).ToArray<double>();
        var vv = v.ToArray<double>();
        for (int i = 0; i < 2; i++)
        {
            double pv = 0;
            for (int j = 0; j < 3; j++) pv += p[i * 3 + j] * vv[i * 3 + j];
            for (int j = 0; j < 3; j++)
                Assert.Equal(p[i * 3 + j] * (vv[i * 3 + j] - pv) / 2, hv[i * 3 + j], 12);
        }
    }

    [Fact]
    public void AllRowsIgnored_MeanIsNaN_LikePyTorch() =>
        Assert.True(double.IsNaN(Functional.NllLoss(Torch.Zeros([2, 3], DType.Float64), Torch.FromArray(new long[] { -100, -100 })).Item<double>()));

    [Fact]
    public void BadInput_GetsPyTorchsErrors()
    {
        var logp = Torch.Zeros(3, 4);
        Assert.Equal("Target 4 is out of bounds.", Assert.Throws<IndexOutOfRangeException>(() => Functional.NllLoss(logp, Torch.FromArray(new long[] { 0, 4, 1 }))).Message);
        Assert.Equal("Target -2 is out of bounds.", Assert.Throws<IndexOutOfRangeException>(() => Functional.CrossEntropy(logp, Torch.FromArray(new long[] { 0, -2, 1 }))).Message);
        Assert.Equal("Expected input batch_size (3) to match target batch_size (2).", Assert.Throws<ArgumentException>(() => Functional.NllLoss(logp, Torch.FromArray(new long[] { 0, 1 }))).Message);
        Assert.Equal("expected scalar type Long but found Float", Assert.Throws<ArgumentException>(() => Functional.NllLoss(logp, Torch.Zeros(3))).Message);
        Assert.StartsWith("weight tensor should be defined either for all 4 classes", Assert.Throws<ArgumentException>(() => Functional.NllLoss(logp, Torch.FromArray(new long[] { 0, 1, 2 }), Torch.Ones(3))).Message);
        Assert.Equal("avg is not a valid value for reduction", Assert.Throws<ArgumentException>(() => Functional.NllLoss(logp, Torch.FromArray(new long[] { 0, 1, 2 }), reduction: "avg")).Message);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("sum")]
    [InlineData("none")]
    public void CrossEntropy_WithLabelSmoothing_Backward(string reduction)
    {
        Torch.ManualSeed(6);
        var x = Torch.Randn([5, 4], DType.Float64, requiresGrad: true);
        var target = Torch.FromArray(Targets);
        var weight = Torch.FromArray(new[] { 0.5, 2, 1, 3 });
        Assert.True(Torch.GradCheck(t => Functional.CrossEntropy(t[0], target, reduction: reduction, labelSmoothing: 0.1), [x]));
        Assert.True(Torch.GradCheck(t => Functional.CrossEntropy(t[0], target, weight, ignoreIndex: 1, reduction: reduction, labelSmoothing: 0.2), [x]));
        var loss = new CrossEntropyLoss(labelSmoothing: 0.1).Forward(x.To(DType.Float32).Detach().RequiresGrad_(), target);
        loss.Backward();
    }
}
