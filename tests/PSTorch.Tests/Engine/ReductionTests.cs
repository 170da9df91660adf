using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

public class ReductionTests
{
    static readonly double[] Six = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void Float32SumOf16MTenthsIsAccurate()
    {
        const int n = 16 << 20;
        double expected = n * (double)0.1f;
        var sum = Torch.Full([n], 0.1).Sum();
        Assert.Equal(DType.Float32, sum.DType);
        Assert.True(Math.Abs((double)sum.Item() - expected) <= 1e-6 * expected, $"sum {sum.Item()} vs {expected}");

        // the tolerance is tight enough that a sequential float32 accumulation would fail it
        float naive = 0;
        for (int i = 0; i < n; i++) naive += 0.1f;
        Assert.False(Math.Abs(naive - expected) <= 1e-6 * expected);
    }

    [Fact]
    public void SumOverDimsKeepDimAndNegativeDims()
    {
        var x = Doubles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24], 2, 3, 4);
        Close([15, 18, 21, 24, 51, 54, 57, 60], x.Sum(1));
        Assert.Equal(new long[] { 2, 1, 4 }, x.Sum(-2, keepDim: true).Shape);
        Close([10, 26, 42, 58, 74, 90], x.Sum(-1));
        // non-consecutive dims (0 and 2) take the permuted path
        Close([68, 100, 132], x.Sum([0, 2]));
        Assert.Equal(new long[] { 1, 3, 1 }, x.Sum([2, 0], keepDim: true).Shape);
        Assert.Equal(300.0, (double)x.Sum().Item());
        Assert.Equal("SumBackward1", x.RequiresGrad_().Sum(1).GradFn!.Name);
    }

    [Fact]
    public void SumOfTransposedInputAndIntegerDTypes()
    {
        var x = Doubles(Six, 2, 3).T();
        Close([5, 7, 9], x.Sum(1));
        Close([6, 15], x.Sum(0));
        var ints = Torch.FromArray(new int[] { 1, 2, 3, 4 }, [2, 2]);
        Assert.Equal(DType.Int64, ints.Sum().DType);
        Assert.Equal(10L, ints.Sum().Item());
        Assert.Equal(2L, Torch.FromArray(new[] { true, false, true }).Sum().Item());
        Assert.Equal(DType.Float64, ints.Sum(0, dtype: DType.Float64).DType);
    }

    [Fact]
    public void EmptySumIsZeroAndEmptyProdIsOne()
    {
        var e = Torch.Zeros(0, 3);
        Assert.Equal(0.0, (double)e.Sum().Item());
        Close([0, 0, 0], e.Sum(0));
        Assert.Equal(new long[] { 0 }, e.Sum(1).Shape);
        Close([1, 1, 1], e.Prod(0));
    }

    [Fact]
    public void SumGradCheckWithDims()
    {
        var a = Leaf([0.5, -1, 2, 3, 0.25, 4], 2, 3);
        Assert.True(Torch.GradCheck(x => x[0].Sum(1, keepDim: true) * x[0].Sum(0).Sum(), [a]));
    }

    [Fact]
    public void MeanValuesAndNames()
    {
        var x = Leaf(Six, 2, 3);
        Assert.Equal(3.5, (double)x.Mean().Item(), 12);
        Close([2, 5], x.Mean(1));
        Close([2.5, 3.5, 4.5], x.Mean(-2));
        Assert.Equal(new long[] { 2, 1 }, x.Mean(1, keepDim: true).Shape);
        Assert.Equal("MeanBackward0", x.Mean().GradFn!.Name);
        Assert.Equal("MeanBackward1", x.Mean(1).GradFn!.Name);
        Assert.True(Torch.GradCheck(t => t[0].Mean([0, 1], keepDim: true) * t[0].Mean(1, keepDim: true), [x]));
    }

    [Fact]
    public void MeanOfIntegersFailsLikePyTorch()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Torch.FromArray(new long[] { 1, 2 }).Mean());
        Assert.Equal("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long", e.Message);
        Assert.Equal(1.5, (double)Torch.FromArray(new long[] { 1, 2 }).Mean(DType.Float32).Item());
    }

    [Fact]
    public void MeanOfFloat16StaysFloat16()
    {
        var h = Torch.FromArray(Six, [6], DType.Float16);
        var m = h.Mean();
        Assert.Equal(DType.Float16, m.DType);
        Assert.Equal(3.5, (double)m.Item());
        Assert.True(double.IsNaN((double)Torch.Zeros(0).Mean().Item()));
    }

    [Fact]
    public void ProdValuesAndGradientWithZeros()
    {
        Close([720], Doubles(Six).Prod());
        Close([6, 120], Doubles(Six, 2, 3).Prod(1));
        Assert.Equal(DType.Int64, Torch.FromArray(new int[] { 2, 3 }).Prod().DType);

        var oneZero = Leaf([2, 0, 3, 4], 2, 2);
        oneZero.Prod().Backward();
        Close([0, 24, 0, 0], oneZero.Grad!);
        Assert.Equal("ProdBackward0", oneZero.Prod().GradFn!.Name);
        Assert.Equal("ProdBackward1", oneZero.Prod(0).GradFn!.Name);

        var twoZeros = Leaf([0, 2, 0, 5]);
        twoZeros.Prod().Backward();
        Close([0, 0, 0, 0], twoZeros.Grad!);

        Assert.True(Torch.GradCheck(t => t[0].Prod(1, keepDim: true), [Leaf([0, 2, 3, 0, 0, 5, 1.5, -2, 0.5], 3, 3)]));
        Assert.True(Torch.GradCheck(t => t[0].Prod(-2), [Leaf([0, 2, 3, 0, 0, 5, 1.5, -2, 0.5], 3, 3)]));
        Assert.True(Torch.GradCheck(t => t[0].Prod(), [Leaf([1.5, 0, -2, 0.5])]));
    }

    [Fact]
    public void MaxAndMinOfAllElementsSplitGradientAmongTies()
    {
        var x = Leaf([1, 3, -2, 3], 2, 2);
        var m = x.Max();
        Assert.Equal(3.0, (double)m.Item());
        Assert.Equal(-2.0, (double)x.Min().Item());
        Assert.Equal("MaxBackward1", m.GradFn!.Name);
        m.Backward();
        Close([0, 0.5, 0, 0.5], x.Grad!);
        Assert.Equal("MinBackward1", x.Min().GradFn!.Name);
        Assert.True(double.IsNaN((double)Doubles([1, double.NaN, 3]).Max().Item()));
        Assert.True(Torch.GradCheck(t => t[0].Min(), [Leaf([0.5, -1.5, 2])]));
    }

    [Fact]
    public void MaxOfEmptyNeedsADim()
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.Zeros(0).Max());
        Assert.Equal("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.", e.Message);
        var d = Assert.Throws<IndexOutOfRangeException>(() => Torch.Zeros(2, 0).Max(1));
        Assert.Equal("max(): Expected reduction dim 1 to have non-zero size.", d.Message);
    }

    [Fact]
    public void MaxAlongDimReturnsValuesAndFirstIndices()
    {
        var x = Doubles([1, 5, 5, 7, 0, 7], 2, 3);
        var (values, indices) = x.Max(1);
        Close([5, 7], values);
        Assert.Equal(new long[] { 1, 0 }, indices.ToArray<long>());
        Assert.Equal(DType.Int64, indices.DType);
        var keep = x.Max(0, keepDim: true);
        Assert.Equal(new long[] { 1, 3 }, keep.Values.Shape);
        Assert.Equal(new long[] { 1, 0, 1 }, keep.Indices.ToArray<long>());
        var min = x.Min(-1);
        Close([1, 0], min.Values);
        Assert.Equal(new long[] { 0, 1 }, min.Indices.ToArray<long>());
        // transposed input: the max along the original rows
        Assert.Equal(new long[] { 1, 0 }, x.T().Max(0).Indices.ToArray<long>());
    }

    [Fact]
    public void MaxAlongDimSendsGradientToTheIndex()
    {
        var x = Leaf([1, 5, 5, 7, 0, 7], 2, 3);
        var values = x.Max(1).Values;
        Assert.Equal("MaxBackward0", values.GradFn!.Name);
        values.Sum().Backward();
        Close([0, 1, 0, 1, 0, 0], x.Grad!);
        var a = Leaf([0.3, -1, 2.5, 0.7, 1.1, -0.4], 2, 3);
        Assert.True(Torch.GradCheck(t => t[0].Max(1).Values, [a]));
        Assert.True(Torch.GradCheck(t => t[0].Min(0, keepDim: true).Values, [a]));
        Assert.Equal("MinBackward0", a.Min(0).Values.GradFn!.Name);
    }

    [Fact]
    public void AmaxAndAminOverDims()
    {
        var x = Leaf([1, 4, 4, 2, 9, 3], 2, 3);
        Close([4, 9], x.Amax(1));
        Close([1, 2], x.Amin(-1));
        Close([9], x.Amax().Reshape(1));
        Assert.Equal(new long[] { 1, 1 }, x.Amax([0, 1], keepDim: true).Shape);
        var y = x.Amax(1);
        Assert.Equal("AmaxBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        Close([0, 0.5, 0.5, 0, 1, 0], x.Grad!);
        Assert.True(Torch.GradCheck(t => t[0].Amin(0), [Leaf([0.3, -1, 2.5, 0.7, 1.1, -0.4], 2, 3)]));
    }

    [Fact]
    public void ArgmaxAndArgmin()
    {
        var x = Doubles([3, 9, 9, 1, 0, 1], 2, 3);
        Assert.Equal(1L, x.Argmax().Item());
        Assert.Equal(4L, x.Argmin().Item());
        Assert.Equal(new long[] { 1, 0 }, x.Argmax(1).ToArray<long>());
        Assert.Equal(new long[] { 1, 1, 1 }, x.Argmin(0).ToArray<long>());
        Assert.Equal(new long[] { 2, 1 }, x.Argmax(1, keepDim: true).Shape);
        Assert.Equal(new long[] { 1, 1 }, x.Argmax(keepDim: true).Shape);
        Assert.Equal(new long[] { 0, 0, 0 }, x.T().Argmax(1).ToArray<long>());
        var e = Assert.Throws<ArgumentException>(() => Torch.Zeros(0).Argmax());
        Assert.StartsWith("argmax(): Expected reduction dim to be specified for input.numel() == 0.", e.Message);
    }

    [Fact]
    public void VarianceAndStandardDeviation()
    {
        var x = Doubles([1, 2, 3, 4]);
        Assert.Equal(5.0 / 3, (double)x.Var().Item(), 12);
        Assert.Equal(1.25, (double)x.Var(correction: 0).Item(), 12);
        Assert.Equal(1.25, (double)x.Var(unbiased: false).Item(), 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), (double)x.Std().Item(), 12);
        var m = Doubles([1, 2, 3, 2, 4, 6], 2, 3);
        Close([1, 4], m.Var(1));
        Close([0.25, 1, 2.25], m.Var(0, correction: 0));
        Assert.Equal(new long[] { 2, 1 }, m.Std(-1, keepDim: true).Shape);
        Assert.True(double.IsNaN((double)Doubles([5]).Var().Item()));
        Assert.Throws<InvalidOperationException>(() => Torch.FromArray(new long[] { 1, 2 }).Var());
    }

    [Fact]
    public void VarianceIsComputedStably()
    {
        // E[x^2] - E[x]^2 loses everything here; the two-pass form gives 1
        var x = Doubles([1e9 + 1, 1e9 + 2, 1e9 + 3]);
        Assert.Equal(1.0, (double)x.Var().Item(), 9);
        var f = Torch.FromArray(new float[] { 10000.1f, 10000.2f, 10000.3f });
        Assert.Equal(0.01, (double)f.Var().Item(), 3);
    }

    [Fact]
    public void VarianceGradients()
    {
        var a = Leaf([0.3, -1, 2.5, 0.7, 1.1, -0.4], 2, 3);
        Assert.Equal("VarBackward0", a.Var().GradFn!.Name);
        Assert.Equal("StdBackward0", a.Std(1).GradFn!.Name);
        Assert.True(Torch.GradCheck(t => t[0].Var(1), [a]));
        Assert.True(Torch.GradCheck(t => t[0].Var([0, 1], correction: 0, keepDim: true), [a]));
        Assert.True(Torch.GradCheck(t => t[0].Std(0, keepDim: true), [a]));
        Assert.True(Torch.GradCheck(t => t[0].Std(), [a]));
        var constant = Leaf([2, 2, 2]);
        constant.Std().Backward();
        Close([0, 0, 0], constant.Grad!);
    }

    [Fact]
    public void NormValues()
    {
        var x = Doubles([3, -4, 0, 12], 2, 2);
        Assert.Equal(13.0, (double)x.Norm().Item(), 12);
        Assert.Equal(13.0, (double)x.Norm("fro").Item(), 12);
        Assert.Equal(19.0, (double)x.Norm(1).Item(), 12);
        Assert.Equal(12.0, (double)x.Norm(double.PositiveInfinity).Item(), 12);
        Assert.Equal(0.0, (double)x.Norm(double.NegativeInfinity).Item(), 12);
        Assert.Equal(3.0, (double)x.Norm(0).Item(), 12);
        Assert.Equal(Math.Cbrt(27 + 64 + 1728), (double)x.Norm(3).Item(), 9);
        Close([5, 12], x.Norm(2, 1));
        Close([3, 16], x.Norm(1, [0]));
        Assert.Equal(new long[] { 2, 1 }, x.Norm(2, -1, keepDim: true).Shape);
        Assert.Equal("LinalgVectorNormBackward0", x.RequiresGrad_().Norm().GradFn!.Name);
    }

    [Fact]
    public void NormGradientAtZeroIsZero()
    {
        var z = Leaf([0, 0, 0]);
        z.Norm().Backward();
        Close([0, 0, 0], z.Grad!);
        var rows = Leaf([0, 0, 3, 4], 2, 2);
        rows.Norm(2, 1).Sum().Backward();
        Close([0, 0, 0.6, 0.8], rows.Grad!);
    }

    [Fact]
    public void NormGradCheck()
    {
        var a = Leaf([0.3, -1, 2.5, 0.7, 1.1, -0.4], 2, 3);
        Assert.True(Torch.GradCheck(t => t[0].Norm(), [a]));
        Assert.True(Torch.GradCheck(t => t[0].Norm(2, 1, keepDim: true), [a]));
        Assert.True(Torch.GradCheck(t => t[0].Norm(1, 0), [a]));
        Assert.True(Torch.GradCheck(t => t[0].Norm(3, [0, 1]), [a]));
        Assert.True(Torch.GradCheck(t => t[0].Norm(double.PositiveInfinity, 1), [a]));
    }

    [Fact]
    public void AllAndAny()
    {
        var b = Torch.FromArray(new[] { true, false, true, true }, [2, 2]);
        Assert.False((bool)b.All().Item());
        Assert.True((bool)b.Any().Item());
        Assert.Equal(new[] { true, false }, b.All(0).ToArray<bool>());
        Assert.Equal(new[] { false, true }, b.All(-1).ToArray<bool>());
        Assert.Equal(new[] { true, true }, b.Any(1).ToArray<bool>());
        Assert.Equal(DType.Bool, Doubles([1, 0]).Any().DType);
        Assert.True((bool)Torch.Zeros([0], DType.Bool).All().Item());
        Assert.False((bool)Torch.Zeros([0], DType.Bool).Any().Item());
    }

    [Fact]
    public void TorchStaticForms()
    {
        var x = Doubles(Six, 2, 3);
        Close([6, 15], Torch.Sum(x, 1));
        Close([2, 5], Torch.Mean(x, 1));
        Assert.Equal(new long[] { 2, 2 }, Torch.Max(x, 1).Indices.ToArray<long>());
        Close([6, 120], Torch.Prod(x, 1));
        Close([1, 1], Torch.Var(x, 1));
    }

    [Fact]
    public void ReductionsOfLargeInnerDimsMatchDoublePrecision()
    {
        // [outer, n, inner] with a middle dim: the column kernel path, with pairwise accumulation
        var rng = new Random(3);
        var data = Enumerable.Range(0, 5 * 300 * 70).Select(_ => rng.NextDouble()).ToArray();
        var d = Doubles(data, 5, 300, 70);
        var f = d.To(DType.Float32);
        Close(d.Sum(1).ToArray<double>(), f.Sum(1), 1e-6);
        Close(d.Amax(1).ToArray<double>(), f.Amax(1), 1e-7);
        Close(d.Amin([0, 1]).ToArray<double>(), f.Amin([0, 1]), 1e-7);
        Assert.Equal(d.Argmax(1).ToArray<long>(), f.Argmax(1).ToArray<long>());
    }

    [Fact]
    public void ZeroDimensionalInputs()
    {
        var s = Torch.FromArray(new double[] { 3 }, []).RequiresGrad_();
        Assert.Equal(3.0, (double)s.Sum(0).Item());
        Assert.Equal(new long[0], s.Max(0).Values.Shape);
        Assert.Equal(0L, s.Max(-1).Indices.Item());
        Assert.Equal(1.0, (double)s.Softmax(0).Item());
        Assert.Equal(3.0, (double)s.Mean().Item());
        Assert.True(Torch.GradCheck(t => t[0].Prod(0) * t[0].Amax(), [s]));
    }
}
