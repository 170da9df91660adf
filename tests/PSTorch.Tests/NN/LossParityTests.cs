using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>
/// Losses against values written by hand from PyTorch's definitions (torch/nn/functional.py and ATen's Loss.cpp,
/// LossNLL.cpp): broadcasting, clamps, weights, smoothing, probability targets and the errors PyTorch raises.
/// </summary>
public class LossParityTests
{
    static Tensor T(double[] values, params long[] shape) => Torch.FromArray(values, shape);

    static Tensor Leaf(double[] values, params long[] shape) => T(values, shape).RequiresGrad_();

    static void AssertClose(double expected, double actual, double tolerance = 1e-12) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    static void AssertClose(double[] expected, Tensor actual, double tolerance = 1e-12)
    {
        var values = actual.To(DType.Float64).ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++) AssertClose(expected[i], values[i], tolerance);
    }

    static double LogSumExp(ReadOnlySpan<double> row)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (var v in row) max = Math.Max(max, v);
        foreach (var v in row) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    /// <summary>Row-wise log-softmax of a [rows, classes] array.</summary>
    static double[] LogSoftmax(double[] x, int classes)
    {
        var r = new double[x.Length];
        for (int i = 0; i < x.Length / classes; i++)
        {
            double lse = LogSumExp(x.AsSpan(i * classes, classes));
            for (int c = 0; c < classes; c++) r[i * classes + c] = x[i * classes + c] - lse;
        }
        return r;
    }

    [Fact]
    public void RegressionLosses_BroadcastInputAndTargetLikePyTorch()
    {
        // F.mse_loss broadcasts [3, 1] against [3] to [3, 3] (PyTorch warns, then computes this)
        double[] x = [1, 2, 4], y = [0.5, -1, 3];
        double sum = 0;
        foreach (var a in x) foreach (var b in y) sum += (a - b) * (a - b);
        AssertClose(sum / 9, Functional.MseLoss(T(x, 3, 1), T(y, 3)).Item<double>());
        Assert.Equal([3L, 3L], Functional.L1Loss(T(x, 3, 1), T(y, 3), "none").Shape);
        var error = Assert.Throws<ArgumentException>(() => Functional.MseLoss(Torch.Zeros(2, 3), Torch.Zeros(2, 4)));
        Assert.Equal("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1", error.Message);
    }

    public static TheoryData<string, string> PointwiseLosses => new()
    {
        { "mse", "MseLossBackward0" }, { "smooth_l1", "SmoothL1LossBackward0" }, { "smooth_l1_beta0", "SmoothL1LossBackward0" },
        { "huber", "HuberLossBackward0" }, { "bce_with_logits", "BinaryCrossEntropyWithLogitsBackward0" },
    };

    static Tensor PointwiseLoss(string name, Tensor x, Tensor y, string reduction = "mean") => name switch
    {
        "mse" => Functional.MseLoss(x, y, reduction),
        "smooth_l1" => Functional.SmoothL1Loss(x, y, reduction, beta: 0.8),
        "smooth_l1_beta0" => Functional.SmoothL1Loss(x, y, reduction, beta: 0),
        "huber" => Functional.HuberLoss(x, y, reduction, delta: 0.6),
        _ => Functional.BinaryCrossEntropyWithLogits(x, y, T([1.0, 2.0, 0.5], 3), reduction, posWeight: T([3.0, 0.5, 1.5], 3)),
    };

    [Theory]
    [MemberData(nameof(PointwiseLosses))]
    public void PointwiseLosses_HavePyTorchsGradFn_AndGradChecks(string name, string gradFn)
    {
        // differences away from the kinks at |d| = beta / delta / 0, so finite differences see one branch
        double[] x = [0.3, -1.2, 2.0, 0.1, -0.4, 1.5], y = [1.0, 0.0, 0.25, 0.55, 0.6, 1.0];
        Assert.Equal(gradFn, PointwiseLoss(name, Leaf(x, 2, 3), T(y, 2, 3)).GradFn!.Name);
        foreach (var reduction in new[] { "mean", "sum", "none" })
            Assert.True(Torch.GradCheck(t => PointwiseLoss(name, t[0], t[1], reduction), [Leaf(x, 2, 3), Leaf(y, 2, 3)]));
        // double backward: the input gradient is itself differentiable in input and target
        Tensor InputGradient(Tensor[] t)
        {
            using var _ = Torch.EnableGrad();
            var input = t[0].RequiresGrad ? t[0] : t[0].Detach().RequiresGrad_();
            var gx = Torch.Grad([PointwiseLoss(name, input, t[1], "sum")], [input], createGraph: true)[0]!;
            return (gx * T([1.0, -2.0, 0.5, 3.0, 1.5, -1.0], 2, 3)).Sum();
        }
        Assert.True(Torch.GradCheck(InputGradient, [Leaf(x, 2, 3), Leaf(y, 2, 3)]));
    }

    [Fact]
    public void MseLoss_BroadcastTargetGetsTheSummedGradient()
    {
        var x = Leaf([1.0, 2.0, 4.0], 3, 1);
        var y = Leaf([0.5, -1.0, 3.0], 3);
        Functional.MseLoss(x, y, "sum").Backward();
        double[] gx = new double[3], gy = new double[3];
        double[] xv = [1, 2, 4], yv = [0.5, -1, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                gx[i] += 2 * (xv[i] - yv[j]);
                gy[j] -= 2 * (xv[i] - yv[j]);
            }
        AssertClose(gx, x.Grad!);
        AssertClose(gy, y.Grad!);
    }

    [Fact]
    public void SmoothL1AndHuber_SwitchAtBetaAndDelta()
    {
        double[] x = [0.0, 0.3, -1.0, 2.5], y = [0.1, 1.0, 1.0, 0.0];
        double beta = 0.5, delta = 2.0;
        var smooth = new double[4];
        var huber = new double[4];
        for (int i = 0; i < 4; i++)
        {
            double z = Math.Abs(x[i] - y[i]);
            smooth[i] = z < beta ? 0.5 * z * z / beta : z - 0.5 * beta;
            huber[i] = z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
        }
        AssertClose(smooth, Functional.SmoothL1Loss(T(x, 4), T(y, 4), "none", beta));
        AssertClose(huber, Functional.HuberLoss(T(x, 4), T(y, 4), "none", delta));
        AssertClose(huber.Sum(), Functional.HuberLoss(T(x, 4), T(y, 4), "sum", delta).Item<double>());
        Assert.Equal("huber_loss does not support non-positive values for delta.",
            Assert.Throws<ArgumentException>(() => Functional.HuberLoss(T(x, 4), T(y, 4), delta: 0)).Message);
    }

    [Fact]
    public void BinaryCrossEntropy_ClampsTheLogsAtMinus100_AndHasPyTorchsFiniteGradientAtZeroAndOne()
    {
        var x = Leaf([0.0, 1.0, 0.5, 0.25], 4);
        var y = T([1.0, 0.0, 1.0, 0.0], 4);
        var loss = Functional.BinaryCrossEntropy(x, y, reduction: "sum");
        AssertClose(100 + 100 + Math.Log(2) - Math.Log(0.75), loss.Item<double>());
        Assert.Equal("BinaryCrossEntropyBackward0", loss.GradFn!.Name);
        loss.Backward();
        // binary_cross_entropy_backward: (x - y) / max(x (1 - x), 1e-12)
        AssertClose([-1e12, 1e12, -0.5 / 0.25, 0.25 / 0.1875], x.Grad!);
    }

    [Fact]
    public void BinaryCrossEntropy_WeightsAndMeanGradients()
    {
        double[] x = [0.2, 0.7, 0.9, 0.4], y = [0.0, 1.0, 0.3, 1.0], w = [1.0, 2.0];
        var input = Leaf(x, 2, 2);
        var loss = Functional.BinaryCrossEntropy(input, T(y, 2, 2), T(w, 2));
        double expected = 0;
        var grad = new double[4];
        for (int i = 0; i < 4; i++)
        {
            expected += -w[i % 2] * (y[i] * Math.Log(x[i]) + (1 - y[i]) * Math.Log(1 - x[i])) / 4;
            grad[i] = w[i % 2] * (x[i] - y[i]) / (x[i] * (1 - x[i])) / 4;
        }
        AssertClose(expected, loss.Item<double>());
        loss.Backward();
        AssertClose(grad, input.Grad!);
        Assert.True(Torch.GradCheck(t => Functional.BinaryCrossEntropy(t[0], t[1], T(w, 2)), [Leaf(x, 2, 2), Leaf(y, 2, 2)]));
        Assert.True(Torch.GradCheck(t => Functional.BinaryCrossEntropy(t[0], t[1], reduction: "none"), [Leaf(x, 2, 2), Leaf(y, 2, 2)]));
    }

    [Fact]
    public void BinaryCrossEntropy_RejectsOutOfRangeInputsAndMismatchedShapes()
    {
        Assert.Equal("all elements of input should be between 0 and 1",
            Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropy(T([0.5, 1.5], 2), T([0.0, 1.0], 2))).Message);
        Assert.Equal("Using a target size (torch.Size([2])) that is different to the input size (torch.Size([2, 1])) is deprecated. Please ensure they have the same size.",
            Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropy(T([0.5, 0.5], 2, 1), T([0.0, 1.0], 2))).Message);
        Assert.Equal("Target size (torch.Size([2])) must be the same as input size (torch.Size([2, 1]))",
            Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropyWithLogits(T([0.5, 0.5], 2, 1), T([0.0, 1.0], 2))).Message);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_PosWeightBroadcastsOverTheClassDim_AndStaysFiniteForLargeLogits()
    {
        double[] x = [-100, 0.5, 3.0, 100, -2.0, 0.0], y = [1, 0, 1, 0, 0.5, 1], pw = [2.0, 0.5, 3.0];
        var expected = new double[6];
        for (int i = 0; i < 6; i++)
        {
            // -(pw y log σ(x) + (1 - y) log(1 - σ(x))), with log σ(x) = -log(1 + e^-x) written stably
            double logSigmoid = -(Math.Max(-x[i], 0) + Math.Log(1 + Math.Exp(-Math.Abs(x[i]))));
            double logOneMinusSigmoid = logSigmoid - x[i];
            expected[i] = -(pw[i % 3] * y[i] * logSigmoid + (1 - y[i]) * logOneMinusSigmoid);
        }
        var loss = Functional.BinaryCrossEntropyWithLogits(T(x, 2, 3), T(y, 2, 3), reduction: "none", posWeight: T(pw, 3));
        AssertClose(expected, loss, 1e-12);
        AssertClose(expected.Average(), Functional.BinaryCrossEntropyWithLogits(T(x, 2, 3), T(y, 2, 3), posWeight: T(pw, 3)).Item<double>());
        Assert.True(Torch.GradCheck(t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], posWeight: T(pw, 3)),
            [Leaf([0.3, -1.2, 2.0, 0.1, -0.4, 1.5], 2, 3), Leaf([1, 0, 0.3, 0.7, 0, 1], 2, 3)]));
    }

    static readonly double[] Logits = [0.2, -1.0, 1.5, 0.3, 2.0, 0.1, -0.5, 0.7, -1.2, 0.4, 0.9, -0.3];
    static readonly long[] Classes = [2, 0, 1, 3];
    static readonly double[] ClassWeights = [0.5, 2.0, 1.0, 3.0];

    [Theory]
    [InlineData(0.0, -100L)]
    [InlineData(0.2, -100L)]
    [InlineData(0.2, 1L)]
    [InlineData(0.0, 0L)]
    public void CrossEntropy_ClassWeightsIgnoreIndexAndSmoothing_MatchPyTorchsFormula(double smoothing, long ignoreIndex)
    {
        const int C = 4;
        var logp = LogSoftmax(Logits, C);
        // cross_entropy_loss_label_smoothing: (1 - ε) nll + ε / C * Σ_i -Σ_c w_c logp_ic / Σ_i w_{t_i}, ignored rows left out
        double nll = 0, smooth = 0, weightSum = 0;
        var perRow = new double[3];
        for (int i = 0; i < 3; i++)
        {
            if (Classes[i] == ignoreIndex) continue;
            double w = ClassWeights[Classes[i]], rowSmooth = 0;
            for (int c = 0; c < C; c++) rowSmooth -= ClassWeights[c] * logp[i * C + c];
            nll -= w * logp[i * C + Classes[i]];
            smooth += rowSmooth;
            weightSum += w;
            perRow[i] = (1 - smoothing) * -w * logp[i * C + Classes[i]] + smoothing / C * rowSmooth;
        }
        var input = T(Logits, 3, C);
        var target = Torch.FromArray(Classes[..3]);
        var weight = T(ClassWeights, C);
        AssertClose((1 - smoothing) * nll / weightSum + smoothing / C * smooth / weightSum,
            Functional.CrossEntropy(input, target, weight, ignoreIndex, labelSmoothing: smoothing).Item<double>());
        AssertClose(perRow.Sum(), Functional.CrossEntropy(input, target, weight, ignoreIndex, "sum", smoothing).Item<double>());
        AssertClose(perRow, Functional.CrossEntropy(input, target, weight, ignoreIndex, "none", smoothing));
        // the unfused composition (float targets are probabilities; this checks the index path of the module too)
        var module = new CrossEntropyLoss(weight, ignoreIndex, labelSmoothing: smoothing);
        AssertClose((1 - smoothing) * nll / weightSum + smoothing / C * smooth / weightSum, module.Call(input, target).Item<double>());
    }

    [Fact]
    public void CrossEntropy_ProbabilityTargets_WithWeightsAndSmoothing_MeanDividesByTheSampleCount()
    {
        const int C = 4;
        double[] probs = [0.1, 0.2, 0.3, 0.4, 1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25];
        const double smoothing = 0.1;
        var logp = LogSoftmax(Logits, C);
        var perRow = new double[3];
        for (int i = 0; i < 3; i++)
            for (int c = 0; c < C; c++)
                perRow[i] -= ClassWeights[c] * (probs[i * C + c] * (1 - smoothing) + smoothing / C) * logp[i * C + c];
        var input = T(Logits, 3, C);
        AssertClose(perRow.Sum() / 3, Functional.CrossEntropy(input, T(probs, 3, C), T(ClassWeights, C), labelSmoothing: smoothing).Item<double>());
        AssertClose(perRow, Functional.CrossEntropy(input, T(probs, 3, C), T(ClassWeights, C), reduction: "none", labelSmoothing: smoothing));
        var sum = Functional.CrossEntropy(Leaf(Logits, 3, C), T(probs, 3, C), T(ClassWeights, C), reduction: "sum", labelSmoothing: smoothing);
        AssertClose(perRow.Sum(), sum.Item<double>());
        Assert.Equal("NegBackward0", sum.GradFn!.Name);
        Assert.Equal("DivBackward0", Functional.CrossEntropy(Leaf(Logits, 3, C), T(probs, 3, C)).GradFn!.Name);
        Assert.True(Torch.GradCheck(t => Functional.CrossEntropy(t[0], t[1], labelSmoothing: smoothing), [Leaf(Logits, 3, C), Leaf(probs, 3, C)]));
    }

    [Fact]
    public void CrossEntropy_KDimInput_TakesClassDimOne()
    {
        // [N=2, C=3, d=2]: position (n, d) has logits input[n, :, d]
        double[] x = [0.1, 0.5, -0.2, 1.0, 0.3, -0.7, 2.0, 0.0, -1.0, 0.4, 0.6, 0.2];
        long[] t = [2, 0, 1, 1];
        double sum = 0;
        var perPosition = new double[4];
        for (int n = 0; n < 2; n++)
            for (int d = 0; d < 2; d++)
            {
                var row = new double[3];
                for (int c = 0; c < 3; c++) row[c] = x[n * 6 + c * 2 + d];
                perPosition[n * 2 + d] = LogSumExp(row) - row[t[n * 2 + d]];
                sum += perPosition[n * 2 + d];
            }
        AssertClose(sum / 4, Functional.CrossEntropy(T(x, 2, 3, 2), Torch.FromArray(t, [2, 2])).Item<double>());
        var none = Functional.CrossEntropy(T(x, 2, 3, 2), Torch.FromArray(t, [2, 2]), reduction: "none");
        Assert.Equal([2L, 2L], none.Shape);
        AssertClose(perPosition, none);
        // probability targets of the same [N, C, d] shape: the mean is over N * d
        var probs = (T(x, 2, 3, 2) * 0.5).Softmax(1);
        var expected = -(probs * T(x, 2, 3, 2).LogSoftmax(1)).Sum().Item<double>() / 4;
        AssertClose(expected, Functional.CrossEntropy(T(x, 2, 3, 2), probs).Item<double>());
    }

    [Fact]
    public void ClassIndexLosses_TargetShapeErrorsAreAtensMessages()
    {
        var x = Torch.Zeros(2, 3, 4);
        Assert.Equal("Expected target size [2, 4], got [2, 3]",
            Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(x, Torch.Zeros([2, 3], DType.Int64))).Message);
        Assert.Equal("Expected target size [2, 4], got [2, 3]",
            Assert.Throws<ArgumentException>(() => Functional.NllLoss(x, Torch.Zeros([2, 3], DType.Int64))).Message);
        Assert.Equal("input and target batch or spatial sizes don't match: target [2, 3, 3], input [2, 3, 4, 4]",
            Assert.Throws<ArgumentException>(() => Functional.NllLoss(Torch.Zeros(2, 3, 4, 4), Torch.Zeros([2, 3, 3], DType.Int64))).Message);
        Assert.Equal("0D or 1D target tensor expected, multi-target not supported",
            Assert.Throws<ArgumentException>(() => Functional.NllLoss(Torch.Zeros(2, 3), Torch.Zeros([2, 1], DType.Int64))).Message);
        // a floating target of another shape is taken as class indices; one of the input's shape must be floating
        Assert.Equal("expected scalar type Long but found Float",
            Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Torch.Zeros(2, 3), Torch.Zeros(2))).Message);
        Assert.Equal("Expected floating point type for target with class probabilities, got Long",
            Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Torch.Zeros(2, 3), Torch.Zeros([2, 3], DType.Int64))).Message);
        Assert.Equal("ignore_index is not supported for floating point target",
            Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Torch.Zeros(2, 3), Torch.Zeros(2, 3), ignoreIndex: 1)).Message);
    }

    [Fact]
    public void KlDiv_PointwiseBatchmeanAndLogTarget()
    {
        double[] logq = [-1.0, -0.5, -2.0, -0.1], p = [0.2, 0.0, 0.5, 0.3];
        var pointwise = new double[4];
        for (int i = 0; i < 4; i++) pointwise[i] = p[i] == 0 ? 0 : p[i] * (Math.Log(p[i]) - logq[i]);
        AssertClose(pointwise, Functional.KlDiv(T(logq, 2, 2), T(p, 2, 2), "none"));
        AssertClose(pointwise.Sum() / 2, Functional.KlDiv(T(logq, 2, 2), T(p, 2, 2), "batchmean").Item<double>());
        AssertClose(pointwise.Average(), Functional.KlDiv(T(logq, 2, 2), T(p, 2, 2)).Item<double>());
        double[] logp = [-0.3, -1.5, -0.7, -2.2];
        var logTarget = new double[4];
        for (int i = 0; i < 4; i++) logTarget[i] = Math.Exp(logp[i]) * (logp[i] - logq[i]);
        AssertClose(logTarget.Sum(), Functional.KlDiv(T(logq, 2, 2), T(logp, 2, 2), "sum", logTarget: true).Item<double>());
    }

    [Fact]
    public void KlDiv_IsXlogyMinusTargetTimesInput_WithItsNaNsAndGradFn()
    {
        var input = Torch.FromArray(new[] { -1.0, double.NegativeInfinity, -0.5, double.NegativeInfinity }).RequiresGrad_();
        var target = Torch.FromArray(new[] { 0.0, 0.0, -0.25, 0.5 });
        var loss = Functional.KlDiv(input, target, "none");
        Assert.Equal("SubBackward0", loss.GradFn!.Name);
        var values = loss.ToArray<double>();
        Assert.Equal(0.0, values[0]);                 // a zero target contributes nothing
        Assert.True(double.IsNaN(values[1]));         // 0 * -inf
        Assert.True(double.IsNaN(values[2]));         // log of a negative target
        Assert.Equal(double.PositiveInfinity, values[3]);
        Functional.KlDiv(input, target, "sum").Backward();
        Assert.Equal([-0.0, -0.0, 0.25, -0.5], input.Grad!.ToArray<double>()); // d/dinput = -target
        var x = Torch.Randn([3, 4], DType.Float64).RequiresGrad_();
        var t = Torch.Rand([3, 4], DType.Float64).RequiresGrad_();
        Assert.True(Torch.GradCheck(args => Functional.KlDiv(args[0], args[1], "batchmean"), [x, t]));
    }
}
