using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

public class NormalizationTests
{
    [Fact]
    public void BatchNormTrainStepNormalisesAndUpdatesRunningStats()
    {
        var bn = new BatchNorm2d(3);
        var x = Torch.Randn([4, 3, 5, 5], DType.Float32) * 2 + 1;
        var y = bn.Call(x);
        var mean = x.Mean([0, 2, 3]);
        var biased = x.Var([0, 2, 3], correction: 0);
        var unbiased = x.Var([0, 2, 3], correction: 1);
        var expected = (x - mean.View(1, 3, 1, 1)) / (biased.View(1, 3, 1, 1) + 1e-5).Sqrt();
        Assert.True(y.AllClose(expected, 1e-4, 1e-5));
        Assert.True(bn.RunningMean!.AllClose(mean * 0.1, 1e-5, 1e-6));
        Assert.True(bn.RunningVar!.AllClose(unbiased * 0.1 + 0.9, 1e-5, 1e-6));
        Assert.Equal(1L, bn.NumBatchesTracked!.Item<long>());
        Assert.Equal(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }, bn.StateDict().Keys);
        Assert.Equal("NativeBatchNormBackward0", bn.Call(x.RequiresGrad_()).GradFn!.Name);
    }

    [Fact]
    public void BatchNormEvalUsesRunningStatsAndCumulativeMomentum()
    {
        var bn = new BatchNorm1d(2, momentum: null);
        var a = Torch.Randn(6, 2);
        var b = Torch.Randn(6, 2) + 3;
        bn.Call(a);
        bn.Call(b);
        // momentum None: the plain average of the batch statistics
        Assert.True(bn.RunningMean!.AllClose((a.Mean(0) + b.Mean(0)) / 2, 1e-5, 1e-6));
        Assert.True(bn.RunningVar!.AllClose((a.Var(0) + b.Var(0)) / 2, 1e-5, 1e-6));
        bn.Eval();
        var x = Torch.Randn(4, 2);
        var y = bn.Call(x);
        var expected = (x - bn.RunningMean) / (bn.RunningVar + 1e-5).Sqrt() * bn.Weight! + bn.Bias!;
        Assert.True(y.AllClose(expected, 1e-5, 1e-6));
        Assert.Equal(2L, bn.NumBatchesTracked!.Item<long>());
        Assert.Equal("BatchNorm1d(2, eps=1e-05, momentum=None, affine=True, track_running_stats=True)", bn.ToString());
        Assert.Equal("BatchNorm2d(16, eps=0.001, momentum=0.1, affine=False, track_running_stats=True)", new BatchNorm2d(16, 1e-3, affine: false).ToString());
        Assert.Equal("Expected more than 1 value per channel when training, got input size torch.Size([1, 2])",
            Assert.Throws<ArgumentException>(() => new BatchNorm1d(2).Call(Torch.Randn(1, 2))).Message);
        Assert.Equal("expected 4D input (got 3D input)", Assert.Throws<ArgumentException>(() => new BatchNorm2d(2).Call(Torch.Randn(1, 2, 3))).Message);
    }

    [Fact]
    public void BatchNormGradCheckInTrainAndEval()
    {
        var x = Torch.Randn([4, 3, 2, 3], DType.Float64, requiresGrad: true);
        var w = Torch.Randn([3], DType.Float64, requiresGrad: true);
        var b = Torch.Randn([3], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true), [x, w, b]));
        var x3 = Torch.Randn([5, 3, 4], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.BatchNorm(t[0], null, null, training: true), [x3]));
        var rm = Torch.Randn([3], DType.Float64);
        var rv = Torch.Rand([3], DType.Float64) + 0.5;
        Assert.True(Torch.GradCheck(t => Functional.BatchNorm(t[0], rm, rv, t[1], t[2], training: false), [x, w, b]));
    }

    [Fact]
    public void LayerNormValuesGradAndRepr()
    {
        var ln = new LayerNorm([3, 4]);
        Assert.Equal("LayerNorm((3, 4), eps=1e-05, elementwise_affine=True)", ln.ToString());
        var x = Torch.Randn(2, 3, 4) * 5 + 100; // a large offset tests the two-pass variance
        var y = ln.Call(x);
        var mean = x.Mean([1, 2], keepDim: true);
        var variance = x.Var([1, 2], correction: 0, keepDim: true);
        Assert.True(y.AllClose((x - mean) / (variance + 1e-5).Sqrt(), 1e-4, 1e-4));
        var xd = Torch.Randn([2, 3, 4], DType.Float64, requiresGrad: true);
        var w = Torch.Randn([4], DType.Float64, requiresGrad: true);
        var b = Torch.Randn([4], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.LayerNorm(t[0], [4], t[1], t[2]), [xd, w, b]));
        Assert.True(Torch.GradCheck(t => Functional.LayerNorm(t[0], [3, 4]), [xd]));
        Assert.Equal("NativeLayerNormBackward0", Functional.LayerNorm(xd, [4], w, b).GradFn!.Name);
        Assert.Equal("Given normalized_shape=[3], expected input with shape [*, 3], but got input of size[2, 3, 4]",
            Assert.Throws<ArgumentException>(() => Functional.LayerNorm(xd, [3])).Message);
    }

    [Fact]
    public void EmbeddingLooksUpRowsAndAccumulatesRepeatedIndices()
    {
        var emb = new Embedding(5, 3, paddingIdx: 0);
        Assert.Equal("Embedding(5, 3, padding_idx=0)", emb.ToString());
        Assert.Equal(new float[] { 0, 0, 0 }, emb.Weight.Select(0, 0).ToArray<float>());
        var idx = Torch.FromArray(new long[] { 1, 3, 1, 0, 4, 1 }, [2, 3]);
        var y = emb.Call(idx);
        Assert.Equal(new long[] { 2, 3, 3 }, y.Shape);
        Assert.Equal(emb.Weight.Select(0, 3).ToArray<float>(), y.Select(0, 0).Select(0, 1).ToArray<float>());
        Assert.Equal("EmbeddingBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        Assert.Equal(new float[] { 0, 0, 0, 3, 3, 3, 0, 0, 0, 1, 1, 1, 1, 1, 1 }, emb.Weight.Grad!.ToArray<float>());
        var w = Torch.Randn([6, 2], DType.Float64, requiresGrad: true);
        var i2 = Torch.FromArray(new long[] { 2, 2, 5, 0, 1 });
        Assert.True(Torch.GradCheck(t => Functional.Embedding(i2, t[0]), [w]));
        // padding_idx -1 is row 5: its gradient stays zero although the forward reads it
        Functional.Embedding(i2, w, paddingIdx: -1).Sum().Backward();
        Assert.Equal(new double[] { 1, 1, 1, 1, 2, 2, 0, 0, 0, 0, 0, 0 }, w.Grad!.ToArray<double>());
        Assert.Contains("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead",
            Assert.Throws<ArgumentException>(() => emb.Call(Torch.Zeros(2))).Message);
    }

    [Fact]
    public void GeluExactAndTanh()
    {
        double Erf(double v) => Functional.Gelu(Torch.FromArray(new[] { v * Math.Sqrt(2) })).Item<double>() / (v * Math.Sqrt(2)) * 2 - 1;
        // reference values of erf
        Assert.Equal(0.5204998778130465, Erf(0.5), 1e-14);
        Assert.Equal(0.8427007929497149, Erf(1), 1e-14);
        Assert.Equal(0.9953222650189527, Erf(2), 1e-14);
        Assert.Equal(1 - 2.209049699858544e-05, Erf(3), 1e-14);
        Assert.Equal(1 - 1.541725790028002e-08, Erf(4), 1e-15);
        var x = Torch.FromArray(new double[] { -3, -1, 0, 0.5, 2 });
        var tanh = Functional.Gelu(x, "tanh").ToArray<double>();
        var xs = x.ToArray<double>();
        for (int i = 0; i < xs.Length; i++)
            Assert.Equal(0.5 * xs[i] * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (xs[i] + 0.044715 * Math.Pow(xs[i], 3)))), tanh[i], 1e-14);
        var xd = Torch.Randn([3, 4], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.Gelu(t[0]), [xd]));
        Assert.True(Torch.GradCheck(t => new GELU("tanh").Call(t[0]), [xd]));
        Assert.Equal("GeluBackward0", Functional.Gelu(xd).GradFn!.Name);
        Assert.Equal("GELU(approximate='none')", new GELU().ToString());
        Assert.True(Functional.Gelu(x.To(DType.Float32)).AllClose(Functional.Gelu(x).To(DType.Float32)));
    }
}
