using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>
/// Functional.BatchNorm and LayerNorm on their fused kernels (float32 and float64 on the CPU) against the same
/// normalisation written in primitive ops in float64, whose autograd gives the reference gradients.
/// </summary>
public class FusedNormalizationTests
{
    static long[] AffineShape(int ndim, long channels) => [channels, .. Enumerable.Repeat(1L, ndim - 2)];

    static Tensor Leaf(Tensor t) => t.Detach().Clone().RequiresGrad_();

    static Tensor ReferenceBatchNorm(Tensor x, Tensor? weight, Tensor? bias, double eps)
    {
        int[] dims = [0, .. Enumerable.Range(2, x.NDim - 2)];
        var y = (x - x.Mean(dims, keepDim: true)) / (x.Var(dims, correction: 0, keepDim: true) + eps).Sqrt();
        var shape = AffineShape(x.NDim, x.Size(1));
        if (weight != null) y = y * weight.View(shape);
        if (bias != null) y = y + bias.View(shape);
        return y;
    }

    static Tensor ReferenceLayerNorm(Tensor x, int normalizedDims, Tensor? weight, Tensor? bias, double eps)
    {
        int[] dims = Enumerable.Range(x.NDim - normalizedDims, normalizedDims).ToArray();
        var y = (x - x.Mean(dims, keepDim: true)) / (x.Var(dims, correction: 0, keepDim: true) + eps).Sqrt();
        if (weight != null) y = y * weight;
        if (bias != null) y = y + bias;
        return y;
    }

    static void AssertClose(Tensor expected, Tensor? actual, double tolerance, string what)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Shape, actual!.Shape);
        var e = expected.To(DType.Float64).Contiguous().ToArray<double>();
        var a = actual.To(DType.Float64).Contiguous().ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * (1 + Math.Abs(e[i])), $"{what}[{i}]: expected {e[i]}, got {a[i]}");
    }

    /// <summary>The op's output and gradients against the reference's (its output, then leaves whose Grad is set).</summary>
    static void AssertMatches((Tensor Y, Tensor X, Tensor? Weight, Tensor? Bias) reference, (Tensor Y, Tensor? GradX, Tensor? Weight, Tensor? Bias) actual, double tolerance)
    {
        AssertClose(reference.Y, actual.Y, tolerance, "output");
        AssertClose(reference.X.Grad!, actual.GradX, tolerance, "input gradient");
        if (reference.Weight != null) AssertClose(reference.Weight.Grad!, actual.Weight!.Grad, tolerance, "weight gradient");
        if (reference.Bias != null) AssertClose(reference.Bias.Grad!, actual.Bias!.Grad, tolerance, "bias gradient");
    }

    public static TheoryData<DType, long[], bool, bool, bool> BatchNormCases() => new()
    {
        { DType.Float64, new long[] { 8, 3 }, true, true, false },        // BatchNorm1d: a plane of one element
        { DType.Float32, new long[] { 5, 4, 7 }, true, false, false },    // weight only
        { DType.Float64, new long[] { 4, 3, 6, 5 }, false, true, true },  // bias only, non-contiguous input
        { DType.Float32, new long[] { 4, 3, 6, 5 }, false, false, true },
        { DType.Float32, new long[] { 16, 8, 24, 24 }, true, true, false }, // large enough to split channels over the threads
    };

    [Theory]
    [MemberData(nameof(BatchNormCases))]
    public void BatchNormTrainingMatchesThePrimitiveComposition(DType dtype, long[] shape, bool hasWeight, bool hasBias, bool transposed)
    {
        long channels = shape[1];
        var data = Torch.Randn(shape, DType.Float64, generator: new Generator(1)) * 3 + 20; // an offset tests the two-pass variance
        var w = hasWeight ? Torch.Rand([channels], DType.Float64, generator: new Generator(2)) + 0.5 : null;
        var b = hasBias ? Torch.Randn([channels], DType.Float64, generator: new Generator(3)) : null;
        var gy = Torch.Randn(shape, DType.Float64, generator: new Generator(4));

        // transposed: the op sees a non-contiguous view of a leaf holding the same values
        var leaf = Leaf((transposed ? data.Transpose(0, 1) : data).To(dtype));
        var x = transposed ? leaf.Transpose(0, 1) : leaf;
        Assert.Equal(!transposed, x.IsContiguous());
        var weight = w != null ? Leaf(w.To(dtype)) : null;
        var bias = b != null ? Leaf(b.To(dtype)) : null;
        var runningMean = Torch.Full([channels], 0.5, dtype);
        var runningVar = Torch.Full([channels], 2.0, dtype);
        int versionBefore = runningMean.Version;
        var y = Functional.BatchNorm(x, runningMean, runningVar, weight, bias, training: true, momentum: 0.2, eps: 1e-3);
        Assert.Equal("NativeBatchNormBackward0", y.GradFn!.Name);
        Assert.Equal(dtype, y.DType);
        Assert.True(runningMean.Version > versionBefore);
        y.Backward(gy.To(dtype));

        var rx = Leaf(data);
        var rw = w != null ? Leaf(w) : null;
        var rb = b != null ? Leaf(b) : null;
        var ry = ReferenceBatchNorm(rx, rw, rb, 1e-3);
        ry.Backward(gy);

        double tolerance = dtype == DType.Float64 ? 1e-10 : 2e-4;
        AssertMatches((ry, rx, rw, rb), (y, transposed ? leaf.Grad!.Transpose(0, 1) : leaf.Grad, weight, bias), tolerance);
        int[] dims = [0, .. Enumerable.Range(2, shape.Length - 2)];
        long count = data.Numel() / channels;
        AssertClose(data.Mean(dims) * 0.2 + 0.5 * 0.8, runningMean, tolerance, "running mean");
        AssertClose(data.Var(dims, correction: 0) * (0.2 * count / (count - 1)) + 2.0 * 0.8, runningVar, tolerance, "running var");
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void BatchNormEvaluationUsesTheRunningStatistics(DType dtype)
    {
        var data = Torch.Randn([6, 4, 3], DType.Float64, generator: new Generator(5));
        var mean = Torch.Randn([4], DType.Float64, generator: new Generator(6));
        var variance = Torch.Rand([4], DType.Float64, generator: new Generator(7)) + 0.5;
        var w = Torch.Randn([4], DType.Float64, generator: new Generator(8));
        var b = Torch.Randn([4], DType.Float64, generator: new Generator(9));
        var gy = Torch.Randn([6, 4, 3], DType.Float64, generator: new Generator(10));

        var x = Leaf(data.To(dtype));
        var weight = Leaf(w.To(dtype));
        var bias = Leaf(b.To(dtype));
        var runningMean = mean.To(dtype);
        var runningVar = variance.To(dtype);
        int versionBefore = runningMean.Version;
        var y = Functional.BatchNorm(x, runningMean, runningVar, weight, bias, training: false, eps: 1e-5);
        y.Backward(gy.To(dtype));
        Assert.Equal(versionBefore, runningMean.Version);
        AssertClose(mean, runningMean, 1e-7, "running mean (unchanged)");

        var rx = Leaf(data);
        var rw = Leaf(w);
        var rb = Leaf(b);
        var ry = (rx - mean.View(4, 1)) / (variance.View(4, 1) + 1e-5).Sqrt() * rw.View(4, 1) + rb.View(4, 1);
        ry.Backward(gy);
        double tolerance = dtype == DType.Float64 ? 1e-12 : 1e-5;
        AssertClose(ry, y, tolerance, "output");
        AssertClose(rx.Grad!, x.Grad, tolerance, "input gradient");
        AssertClose(rw.Grad!, weight.Grad, tolerance, "weight gradient");
        AssertClose(rb.Grad!, bias.Grad, tolerance, "bias gradient");
    }

    public static TheoryData<DType, long[], int, bool, bool, bool> LayerNormCases() => new()
    {
        { DType.Float64, new long[] { 3, 5 }, 1, true, true, false },
        { DType.Float32, new long[] { 2, 3, 4 }, 2, true, false, false },  // weight only, two normalised dims
        { DType.Float64, new long[] { 4, 6, 7 }, 1, false, true, true },   // bias only, non-contiguous input
        { DType.Float32, new long[] { 5, 9 }, 1, false, false, true },
        { DType.Float32, new long[] { 96, 8, 64 }, 1, true, true, false },  // rows split over the threads, per-thread weight/bias partials
    };

    [Theory]
    [MemberData(nameof(LayerNormCases))]
    public void LayerNormMatchesThePrimitiveComposition(DType dtype, long[] shape, int normalizedDims, bool hasWeight, bool hasBias, bool transposed)
    {
        long[] normalizedShape = shape[^normalizedDims..];
        var data = Torch.Randn(shape, DType.Float64, generator: new Generator(11)) * 2 + 50;
        var w = hasWeight ? Torch.Randn(normalizedShape, DType.Float64, generator: new Generator(12)) : null;
        var b = hasBias ? Torch.Randn(normalizedShape, DType.Float64, generator: new Generator(13)) : null;
        var gy = Torch.Randn(shape, DType.Float64, generator: new Generator(14));

        // transposed: the op sees a non-contiguous view of a leaf holding the same values
        var leaf = Leaf((transposed ? data.Transpose(0, 1) : data).To(dtype));
        var x = transposed ? leaf.Transpose(0, 1) : leaf;
        Assert.Equal(!transposed, x.IsContiguous());
        var weight = w != null ? Leaf(w.To(dtype)) : null;
        var bias = b != null ? Leaf(b.To(dtype)) : null;
        var y = Functional.LayerNorm(x, normalizedShape, weight, bias, 1e-5);
        Assert.Equal("NativeLayerNormBackward0", y.GradFn!.Name);
        Assert.Equal(dtype, y.DType);
        y.Backward(gy.To(dtype));

        var rx = Leaf(data);
        var rw = w != null ? Leaf(w) : null;
        var rb = b != null ? Leaf(b) : null;
        var ry = ReferenceLayerNorm(rx, normalizedDims, rw, rb, 1e-5);
        ry.Backward(gy);

        double tolerance = dtype == DType.Float64 ? 1e-10 : 5e-4;
        AssertMatches((ry, rx, rw, rb), (y, transposed ? leaf.Grad!.Transpose(0, 1) : leaf.Grad, weight, bias), tolerance);
    }

    [Fact]
    public void GradCheckWithPartialAffineParametersAndNonContiguousInput()
    {
        var x = Torch.Randn([3, 4, 5], DType.Float64, generator: new Generator(15)).Transpose(0, 2).RequiresGrad_(); // [5, 4, 3]
        var w4 = Torch.Randn([4], DType.Float64, generator: new Generator(16), requiresGrad: true);
        var w3 = Torch.Randn([3], DType.Float64, generator: new Generator(17), requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.BatchNorm(t[0], null, null, t[1], null, training: true), [x, w4]));
        Assert.True(Torch.GradCheck(t => Functional.BatchNorm(t[0], null, null, null, t[1], training: true), [x, w4]));
        Assert.True(Torch.GradCheck(t => Functional.LayerNorm(t[0], [3], null, t[1]), [x, w3]));
        Assert.True(Torch.GradCheck(t => Functional.LayerNorm(t[0], [3], t[1]), [x, w3]));
    }

    [Fact]
    public void CreateGraphDifferentiatesTheInputGradientAgainByTheWeight()
    {
        var x = Torch.Randn([6, 3, 4], DType.Float64, generator: new Generator(18));
        var gy = Torch.Randn([6, 3, 4], DType.Float64, generator: new Generator(19));
        var c = Torch.Randn([6, 3, 4], DType.Float64, generator: new Generator(20));
        var bnWeight = Torch.Randn([3], DType.Float64, generator: new Generator(21), requiresGrad: true);
        var lnWeight = Torch.Randn([4], DType.Float64, generator: new Generator(22), requiresGrad: true);
        // sum(c * dL/dx) with L = sum(gy * norm(x; w)) is linear in w through the gradient formula
        Tensor SecondOrder(Func<Tensor, Tensor> norm)
        {
            using var _ = Torch.EnableGrad();
            var leaf = x.Detach().RequiresGrad_();
            var gx = Torch.Grad([(norm(leaf) * gy).Sum()], [leaf], createGraph: true)[0]!;
            return (gx * c).Sum();
        }
        Assert.True(Torch.GradCheck(t => SecondOrder(input => Functional.BatchNorm(input, null, null, t[0], null, training: true)), [bnWeight]));
        Assert.True(Torch.GradCheck(t => SecondOrder(input => Functional.LayerNorm(input, [4], t[0])), [lnWeight]));
    }

    [Fact]
    public void ModifyingTheSavedInputInPlaceFailsBackward()
    {
        var leaf = Torch.Randn([4, 3], requiresGrad: true);
        var x = leaf * 2;
        var y = Functional.LayerNorm(x, [3]);
        x.Add_(1);
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Contains("modified by an inplace operation", e.Message);
    }

    [Fact]
    public void OtherDTypesAndMixedParametersTakeTheComposition()
    {
        var x = Torch.Randn([4, 3, 5], generator: new Generator(23));
        var reference = Functional.BatchNorm(x, null, null, training: true);
        var half = Functional.BatchNorm(x.To(DType.Float16), null, null, training: true);
        Assert.Equal(DType.Float16, half.DType);
        AssertClose(reference, half, 1e-2, "float16 batch norm");
        var layerHalf = Functional.LayerNorm(x.To(DType.BFloat16), [5]);
        AssertClose(Functional.LayerNorm(x, [5]), layerHalf, 3e-2, "bfloat16 layer norm");
        // a float64 weight on float32 input promotes, as the composition does
        var promoted = Functional.LayerNorm(x, [5], Torch.Ones([5], DType.Float64));
        Assert.Equal(DType.Float64, promoted.DType);
        AssertClose(Functional.LayerNorm(x, [5]), promoted, 1e-6, "promoted layer norm");
    }

    [Fact]
    public void EmptyBatchNormInEvaluationGivesAnEmptyOutput()
    {
        var y = Functional.BatchNorm(Torch.Zeros(0, 3), Torch.Zeros(3), Torch.Ones(3), training: false);
        Assert.Equal(new long[] { 0, 3 }, y.Shape);
    }
}
