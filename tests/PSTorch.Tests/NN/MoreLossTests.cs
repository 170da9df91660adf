using PSTorch;
using PSTorch.NN;
using PSTorch.Tests.Engine;
using Xunit;

namespace PSTorch.Tests.NN;

public class MoreLossTests
{
    static readonly double[] X1 = [0.3, -1.2, 2.5, 0.8], X2 = [1.1, -0.4, 0.2, 0.9], Signs = [1, -1, 1, -1];

    static double Mean(IEnumerable<double> values) => values.Average();

    [Fact]
    public void MarginRankingLossTakesThreeInputs()
    {
        var loss = new MarginRankingLoss(0.5);
        var expected = X1.Select((a, i) => Math.Max(0, -Signs[i] * (a - X2[i]) + 0.5)).ToArray();
        var (a, b, y) = (TensorAssert.Doubles(X1), TensorAssert.Doubles(X2), TensorAssert.Doubles(Signs));
        TensorAssert.Close([Mean(expected)], loss.Call(a, b, y).Reshape(1), 1e-15);
        TensorAssert.Close(expected, Functional.MarginRankingLoss(a, b, y, 0.5, "none"), 1e-15);
        TensorAssert.Close([expected.Sum()], Functional.MarginRankingLoss(a, b, y, 0.5, "sum").Reshape(1), 1e-15);
        Assert.True(Torch.GradCheck(t => Functional.MarginRankingLoss(t[0], t[1], TensorAssert.Doubles(Signs), 0.5), [TensorAssert.Leaf(X1), TensorAssert.Leaf(X2)]));
        Assert.Equal("margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size([4]), input2: torch.Size([4, 1]), target: torch.Size([4]) ",
            Assert.Throws<ArgumentException>(() => loss.Call(a, b.View(4, 1), y)).Message);
        Assert.Equal("MarginRankingLoss.Forward needs three tensors: Forward(input1, input2, target)", Assert.Throws<ArgumentException>(() => loss.Forward(a, b)).Message);
        Assert.Equal("MarginRankingLoss()", loss.ToString());
    }

    [Fact]
    public void HingeEmbeddingAndSoftMarginLosses()
    {
        var (x, y) = (TensorAssert.Doubles(X1), TensorAssert.Doubles(Signs));
        var hinge = X1.Select((v, i) => Signs[i] == 1 ? v : Math.Max(0, 1 - v)).ToArray();
        TensorAssert.Close(hinge, Functional.HingeEmbeddingLoss(x, y, reduction: "none"), 1e-15);
        TensorAssert.Close([Mean(hinge)], new HingeEmbeddingLoss().Call(x, y).Reshape(1), 1e-15);
        Assert.True(Torch.GradCheck(t => Functional.HingeEmbeddingLoss(t[0], TensorAssert.Doubles(Signs), 2), [TensorAssert.Leaf(X1)]));

        var soft = X1.Select((v, i) => Math.Log(1 + Math.Exp(-Signs[i] * v))).ToArray();
        TensorAssert.Close([Mean(soft)], new SoftMarginLoss().Call(x, y).Reshape(1), 1e-15);
        TensorAssert.Close(soft, Functional.SoftMarginLoss(x.View(2, 2).T(), y.View(2, 2).T(), "none").T().Reshape(-1), 1e-15);
        Assert.True(Torch.GradCheck(t => Functional.SoftMarginLoss(t[0], TensorAssert.Doubles(Signs)), [TensorAssert.Leaf(X1)]));
        // no overflow for large margins
        TensorAssert.Close([1000, 0], Functional.SoftMarginLoss(TensorAssert.Doubles([-1000, 1000]), TensorAssert.Doubles([1, 1]), "none"), 1e-15);
    }

    [Fact]
    public void CosineEmbeddingLossUsesThePyTorchEpsilon()
    {
        double[] a = [1, 2, 3, -1, 0.5, 2], b = [0.5, -1, 2, 3, 1, 1];
        double Cos(int row)
        {
            double dot = 0, na = 1e-12, nb = 1e-12;
            for (int j = 0; j < 3; j++) { dot += a[row * 3 + j] * b[row * 3 + j]; na += a[row * 3 + j] * a[row * 3 + j]; nb += b[row * 3 + j] * b[row * 3 + j]; }
            return dot / Math.Sqrt(na * nb);
        }
        var expected = new[] { 1 - Cos(0), Math.Max(0, Cos(1) - 0.1) };
        var (ta, tb, y) = (TensorAssert.Doubles(a, 2, 3), TensorAssert.Doubles(b, 2, 3), TensorAssert.Doubles([1, -1]));
        TensorAssert.Close(expected, new CosineEmbeddingLoss(0.1, "none").Call(ta, tb, y), 1e-15);
        TensorAssert.Close([expected[0]], Functional.CosineEmbeddingLoss(ta.Select(0, 0), tb.Select(0, 0), Torch.Scalar(1, DType.Float64)).Reshape(1), 1e-15);
        Assert.True(Torch.GradCheck(t => Functional.CosineEmbeddingLoss(t[0], t[1], TensorAssert.Doubles([1, -1]), -0.5), [TensorAssert.Leaf(a, 2, 3), TensorAssert.Leaf(b, 2, 3)]));
        Assert.Equal("0D or 1D target tensor expected, multi-target not supported",
            Assert.Throws<ArgumentException>(() => Functional.CosineEmbeddingLoss(ta, tb, y.View(2, 1))).Message);
    }

    [Fact]
    public void TripletMarginLossWithAndWithoutSwap()
    {
        double[] anchor = [0, 0, 1, 1], positive = [1, 0, 1, 2], negative = [0, 0.5, 4, 1];
        double eps = 1e-6;
        double Distance(double[] u, double[] v, int row) => Math.Sqrt(Math.Pow(u[row * 2] - v[row * 2] + eps, 2) + Math.Pow(u[row * 2 + 1] - v[row * 2 + 1] + eps, 2));
        var (ta, tp, tn) = (TensorAssert.Doubles(anchor, 2, 2), TensorAssert.Doubles(positive, 2, 2), TensorAssert.Doubles(negative, 2, 2));
        var plain = Enumerable.Range(0, 2).Select(r => Math.Max(0, 1 + Distance(anchor, positive, r) - Distance(anchor, negative, r))).ToArray();
        TensorAssert.Close(plain, new TripletMarginLoss(reduction: "none").Call(ta, tp, tn), 1e-15);
        var swapped = Enumerable.Range(0, 2).Select(r =>
            Math.Max(0, 1 + Distance(anchor, positive, r) - Math.Min(Distance(anchor, negative, r), Distance(positive, negative, r)))).ToArray();
        TensorAssert.Close([Mean(swapped)], new TripletMarginLoss(swap: true).Call(ta, tp, tn).Reshape(1), 1e-15);
        Assert.True(Torch.GradCheck(t => Functional.TripletMarginLoss(t[0], t[1], t[2], margin: 3), [TensorAssert.Leaf(anchor, 2, 2), TensorAssert.Leaf(positive, 2, 2), TensorAssert.Leaf(negative, 2, 2)]));
        Assert.Equal("The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor 2D, positive 2D, and negative 1D inputs",
            Assert.Throws<ArgumentException>(() => Functional.TripletMarginLoss(ta, tp, tn.Reshape(-1))).Message);
    }

    [Fact]
    public void PoissonAndGaussianNegativeLogLikelihoods()
    {
        double[] input = [0.5, -0.2, 1.3, 2.0], target = [0, 1, 3, 2];
        var (x, t) = (TensorAssert.Doubles(input), TensorAssert.Doubles(target));
        var logInput = input.Select((v, i) => Math.Exp(v) - target[i] * v).ToArray();
        TensorAssert.Close([Mean(logInput)], new PoissonNLLLoss().Call(x, t).Reshape(1), 1e-15);
        var rates = input.Select((v, i) => Math.Abs(v) - target[i] * Math.Log(Math.Abs(v) + 1e-8)).ToArray();
        TensorAssert.Close(rates, Functional.PoissonNllLoss(x.Abs(), t, logInput: false, reduction: "none"), 1e-14);
        var full = logInput.Select((v, i) => target[i] > 1 ? v + target[i] * Math.Log(target[i]) - target[i] + 0.5 * Math.Log(2 * Math.PI * target[i]) : v).ToArray();
        TensorAssert.Close(full, Functional.PoissonNllLoss(x, t, full: true, reduction: "none"), 1e-14);
        Assert.True(Torch.GradCheck(g => Functional.PoissonNllLoss(g[0], TensorAssert.Doubles(target), full: true), [TensorAssert.Leaf(input)]));

        double[] variance = [0.5, 2, 1e-9, 1];
        var gaussian = input.Select((v, i) => 0.5 * (Math.Log(Math.Max(variance[i], 1e-6)) + Math.Pow(v - target[i], 2) / Math.Max(variance[i], 1e-6))).ToArray();
        var v = TensorAssert.Doubles(variance);
        TensorAssert.Close(gaussian, new GaussianNLLLoss(reduction: "none").Call(x, t, v), 1e-12);
        TensorAssert.Close([Mean(gaussian) + 0.5 * Math.Log(2 * Math.PI)], Functional.GaussianNllLoss(x, t, v, full: true).Reshape(1), 1e-12);
        // homoscedastic: var one dim short of the input broadcasts over its last dim
        var homo = Functional.GaussianNllLoss(x.View(2, 2), t.View(2, 2), TensorAssert.Doubles([0.5, 2]), reduction: "none");
        Assert.Equal([2L, 2], homo.Shape);
        TensorAssert.Close([0.5 * (Math.Log(0.5) + 0.25 / 0.5), 0.5 * (Math.Log(0.5) + 1.44 / 0.5)], homo.Select(0, 0), 1e-12);
        Assert.True(Torch.GradCheck(g => Functional.GaussianNllLoss(g[0], TensorAssert.Doubles(target), g[1]), [TensorAssert.Leaf(input), TensorAssert.Leaf([0.5, 2, 0.3, 1])]));
        Assert.Equal("var is of incorrect size", Assert.Throws<ArgumentException>(() => Functional.GaussianNllLoss(x, t, TensorAssert.Doubles([1, 2]))).Message);
        Assert.Equal("var has negative entry/entries", Assert.Throws<ArgumentException>(() => Functional.GaussianNllLoss(x, t, -v)).Message);
    }

    [Fact]
    public void MultiLabelSoftMarginAndMultiMarginLosses()
    {
        double[] scores = [0.2, -1.5, 0.7, 1.1, 0.3, -0.4];
        double[] labels = [1, 0, 1, 0, 0, 1];
        double[] weight = [0.5, 1, 2];
        static double LogSigmoid(double z) => -Math.Log(1 + Math.Exp(-z));
        var perRow = Enumerable.Range(0, 2).Select(r => Enumerable.Range(0, 3).Sum(c =>
            -weight[c] * (labels[r * 3 + c] * LogSigmoid(scores[r * 3 + c]) + (1 - labels[r * 3 + c]) * LogSigmoid(-scores[r * 3 + c]))) / 3).ToArray();
        var (x, y) = (TensorAssert.Doubles(scores, 2, 3), TensorAssert.Doubles(labels, 2, 3));
        TensorAssert.Close([Mean(perRow)], new MultiLabelSoftMarginLoss(TensorAssert.Doubles(weight)).Call(x, y).Reshape(1), 1e-15);
        Assert.True(Torch.GradCheck(g => Functional.MultilabelSoftMarginLoss(g[0], TensorAssert.Doubles(labels, 2, 3)), [TensorAssert.Leaf(scores, 2, 3)]));

        long[] classes = [2, 0];
        double Margin(int r, int p, bool weighted) => Enumerable.Range(0, 3).Where(c => c != classes[r])
            .Sum(c => Math.Pow(Math.Max(0, 1 - scores[r * 3 + classes[r]] + scores[r * 3 + c]), p) * (weighted ? weight[classes[r]] : 1)) / 3;
        var target = TensorAssert.Longs(classes);
        TensorAssert.Close([Margin(0, 1, false), Margin(1, 1, false)], Functional.MultiMarginLoss(x, target, reduction: "none"), 1e-15);
        TensorAssert.Close([(Margin(0, 2, true) + Margin(1, 2, true)) / 2], new MultiMarginLoss(2, weight: TensorAssert.Doubles(weight)).Call(x, target).Reshape(1), 1e-15);
        Assert.True(Torch.GradCheck(g => Functional.MultiMarginLoss(g[0], TensorAssert.Longs(classes), 2), [TensorAssert.Leaf(scores, 2, 3)]));
        Assert.Equal("only p == 1 and p == 2 supported", Assert.Throws<ArgumentException>(() => new MultiMarginLoss(3)).Message);
    }
}
