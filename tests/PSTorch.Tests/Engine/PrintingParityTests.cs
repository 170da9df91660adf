using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>
/// Tensor.ToString() against torch/_tensor_str.py, rule by rule: each expected string is what PyTorch's _Formatter,
/// _vector_str, _tensor_str_with_formatter, get_summarized_data and _add_suffixes produce for the same tensor.
/// FormatterTests holds the basic cases; these are the boundaries of each rule.
/// </summary>
[Collection("PrintOptions")]
public class PrintingParityTests
{
    static string Repr(double[] values, DType? dtype = null) => Torch.NewTensor(values, dtype).ToString();

    /// <summary>Runs <paramref name="body"/> under print options set by <paramref name="set"/>, then restores the defaults.</summary>
    static void WithOptions(Action set, Action body)
    {
        try { set(); body(); }
        finally { Torch.SetPrintOptions(profile: "default"); }
    }

    // _Formatter: floats with integral values print as "1." and switch to scientific when max/min > 1000 or max > 1e8.
    [Fact]
    public void IntegralFloatsSwitchToScientificOnlyPastTheRatioOrMagnitudeBounds()
    {
        Assert.Equal("tensor([   1., 1000.])", Repr([1, 1000]));
        Assert.Equal("tensor([1.0000e+00, 2.0000e+03])", Repr([1, 2000]));
        Assert.Equal("tensor([100000000.])", Repr([1e8]));
        // the next float32 above 1e8
        Assert.Equal("tensor([1.0000e+08])", Repr([100000008]));
    }

    // _Formatter: non-integral values also switch to scientific when the smallest nonzero |x| is below 1e-4.
    [Fact]
    public void SmallestMagnitudeBelowOneTenThousandthIsScientific()
    {
        Assert.Equal("tensor([5.0000e-05, 6.0000e-05], dtype=torch.float64)", Repr([5e-5, 6e-5], DType.Float64));
        Assert.Equal("tensor([0.0001, 0.0002], dtype=torch.float64)", Repr([1e-4, 2e-4], DType.Float64));
        // float32(1e-4) is 9.99999975e-05, below the bound
        Assert.Equal("tensor([1.0000e-04, 2.0000e-04])", Repr([1e-4, 2e-4]));
    }

    [Fact]
    public void OneWidthForAllElementsRightAligned()
    {
        Assert.Equal("tensor([ -1.5000, 100.2500,   0.5000])", Repr([-1.5, 100.25, 0.5]));
        Assert.Equal("tensor([-1.0000e-05,  1.0000e+03])", Repr([-1e-5, 1e3]));
        Assert.Equal("tensor([-300,    7], dtype=torch.int16)", Torch.NewTensor(new[] { -300, 7 }, DType.Int16).ToString());
        Assert.Equal("tensor([-9223372036854775808,  9223372036854775807])", Torch.NewTensor(new[] { long.MinValue, long.MaxValue }).ToString());
    }

    // Non-finite values and zeros are left out of the mode and width; they are padded to the width of the others.
    [Fact]
    public void NonFiniteValuesDoNotWidenOrChangeTheMode()
    {
        Assert.Equal("tensor([       nan, 1.0000e-05, 1.0000e+00])", Repr([double.NaN, 1e-5, 1]));
        Assert.Equal("tensor([-inf, 1., 2.])", Repr([double.NegativeInfinity, 1, 2]));
        Assert.Equal("tensor([nan, nan])", Repr([double.NaN, double.NaN]));
        Assert.Equal("tensor([inf, -inf])", Repr([double.PositiveInfinity, double.NegativeInfinity]));
        // 0/0 is a NaN with the sign bit set on x86; Python prints it as "nan"
        Assert.Equal("tensor([nan])", Torch.Zeros(1).Div(0.0).ToString());
    }

    [Fact]
    public void NegativeZeroKeepsItsSignAndIsNotMeasured()
    {
        Assert.Equal("tensor([-0., 1.])", Repr([-0.0, 1]));
        Assert.Equal("tensor([-0.0000, 0.5000])", Repr([-0.0, 0.5]));
        Assert.Equal("tensor(-0.)", Torch.NewTensor(-0.0).ToString());
    }

    // _tensor_str: float16 and bfloat16 are widened to float32 and print the value they hold.
    [Fact]
    public void HalfTypesPrintTheirStoredValue()
    {
        Assert.Equal("tensor([0.1000], dtype=torch.float16)", Repr([0.1], DType.Float16));
        Assert.Equal("tensor([0.1001], dtype=torch.bfloat16)", Repr([0.1], DType.BFloat16));
        Assert.Equal("tensor([ 0.5000, -2.2500], dtype=torch.float16)", Repr([0.5, -2.25], DType.Float16));
    }

    [Fact]
    public void ZeroDimensionalTensorsOfEachKind()
    {
        Assert.Equal("tensor(True)", Torch.NewTensor(true).ToString());
        Assert.Equal("tensor(5, dtype=torch.int32)", Torch.NewTensor(5, DType.Int32).ToString());
        Assert.Equal("tensor(1.0000e-05)", Torch.NewTensor(1e-5).ToString());
        Assert.Equal("tensor(nan)", Torch.NewTensor(double.NaN).ToString());
    }

    [Fact]
    public void DTypeSuffixesOfTheRemainingTypes()
    {
        Assert.Equal("tensor([-128,  127], dtype=torch.int8)", Torch.NewTensor(new[] { -128, 127 }, DType.Int8).ToString());
        Assert.Equal("tensor([  0, 255], dtype=torch.uint8)", Torch.NewTensor(new[] { 0, 255 }, DType.UInt8).ToString());
        Assert.Equal("tensor([[ True, False],\n        [False,  True]])", Torch.NewTensor(new[] { true, false, false, true }).View(2, 2).ToString());
        Assert.Equal("tensor([[[7]]])", Torch.NewTensor(new[] { 7L }).View(1, 1, 1).ToString());
    }

    // An empty tensor shows its dtype whenever it is not the default float type (int64 and bool included).
    [Fact]
    public void EmptyTensorSuffixes()
    {
        Assert.Equal("tensor([], dtype=torch.int32)", Torch.Zeros([0], DType.Int32).ToString());
        Assert.Equal("tensor([], dtype=torch.bool)", Torch.Zeros([0], DType.Bool).ToString());
        Assert.Equal("tensor([], size=(2, 0, 3), dtype=torch.float64)", Torch.Zeros([2, 0, 3], DType.Float64).ToString());
        Assert.Equal("tensor([], requires_grad=True)", Torch.Zeros([0], requiresGrad: true).ToString());
    }

    [Fact]
    public void DefaultDTypeDecidesWhichFloatTypeHasNoSuffix()
    {
        var saved = Torch.GetDefaultDType();
        try
        {
            Torch.SetDefaultDType(DType.Float64);
            Assert.Equal("tensor([0.5000])", Repr([0.5], DType.Float64));
            Assert.Equal("tensor([0.5000], dtype=torch.float32)", Repr([0.5], DType.Float32));
            Assert.Equal("tensor([], dtype=torch.float32)", Torch.Zeros([0], DType.Float32).ToString());
        }
        finally { Torch.SetDefaultDType(saved); }
    }

    [Fact]
    public void NestedBlocksIndentOneColumnPerLevel()
    {
        Assert.Equal(
            "tensor([[[0.0000, 0.2500],\n         [0.5000, 0.7500],\n         [1.0000, 1.2500]],\n\n" +
            "        [[1.5000, 1.7500],\n         [2.0000, 2.2500],\n         [2.5000, 2.7500]]])",
            Torch.Arange(12.0).Mul(0.25).View(2, 3, 2).ToString());
        Assert.Equal("tensor([[1.5000],\n        [2.0000],\n        [3.0000]])", Torch.NewTensor(new[] { 1.5, 2, 3 }).View(3, 1).ToString());
    }

    // _vector_str: rows of a matrix wrap at (linewidth - indent) / (width + 2) elements, continuing one column in.
    [Fact]
    public void MatrixRowsWrapWithTheirOwnIndent() =>
        Assert.Equal(
            "tensor([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n" +
            "         14., 15., 16., 17., 18., 19.],\n" +
            "        [20., 21., 22., 23., 24., 25., 26., 27., 28., 29., 30., 31., 32., 33.,\n" +
            "         34., 35., 36., 37., 38., 39.]])",
            Torch.Arange(40.0).View(2, 20).ToString());

    // _add_suffixes: a suffix that would pass the line width goes on its own line, indented by len("tensor(").
    [Fact]
    public void GradSuffixesWrapPastTheLineWidth()
    {
        Assert.Equal(
            "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.],\n       requires_grad=True)",
            Torch.Arange(14.0, requiresGrad: true).ToString());
        var x = Torch.Arange(26.0).View(2, 13).RequiresGrad_();
        Assert.Equal(
            "tensor([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12.],\n" +
            "        [13., 14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25.]],\n       grad_fn=<MulBackward0>)",
            (x * 1.0).ToString());
    }

    [Fact]
    public void ParameterReprPrefixesTheTensorRepr() =>
        Assert.Equal("Parameter containing:\ntensor([1., 2.], requires_grad=True)", new Parameter(Torch.NewTensor(new[] { 1.0, 2.0 })).ToString());

    // _tensor_str: the formatter sees only get_summarized_data, so hidden elements neither widen nor change the mode.
    [Fact]
    public void SummaryFormatterIgnoresHiddenElements()
    {
        var values = Enumerable.Repeat(1e10, 1001).ToArray();
        foreach (var i in new[] { 0, 1, 2, 998, 999, 1000 }) values[i] = 1;
        Assert.Equal("tensor([1., 1., 1.,  ..., 1., 1., 1.])", Repr(values));
    }

    [Fact]
    public void SummarisedMatrixUsesTheWidthOfTheShownElements() =>
        Assert.Equal(
            "tensor([[   0,    1,    2,  ...,   97,   98,   99],\n" +
            "        [ 100,  101,  102,  ...,  197,  198,  199],\n" +
            "        [ 200,  201,  202,  ...,  297,  298,  299],\n" +
            "        ...,\n" +
            "        [2700, 2701, 2702,  ..., 2797, 2798, 2799],\n" +
            "        [2800, 2801, 2802,  ..., 2897, 2898, 2899],\n" +
            "        [2900, 2901, 2902,  ..., 2997, 2998, 2999]])",
            Torch.Arange(3000).View(30, 100).ToString());

    [Fact]
    public void SummarisedThreeDimensionalTensorSeparatesBlocksWithBlankLines()
    {
        var row = "[0., 0., 0.,  ..., 0., 0., 0.]";
        var rows = string.Join(",\n         ", Enumerable.Repeat(row, 3));
        var block = $"[{rows},\n         ...,\n         {rows}]";
        var blocks = string.Join(",\n\n        ", Enumerable.Repeat(block, 3));
        Assert.Equal($"tensor([{blocks},\n\n        ...,\n\n        {blocks}])", Torch.Zeros(10, 10, 20).ToString());
    }

    [Fact]
    public void SummaryStartsAboveTheThreshold()
    {
        Assert.DoesNotContain("...", Torch.Arange(1000).ToString());
        Assert.Contains("...", Torch.Arange(1001).ToString());
    }

    // torch.set_printoptions
    [Fact]
    public void ThresholdAndEdgeItems()
    {
        WithOptions(() => Torch.SetPrintOptions(threshold: 5),
            () => Assert.Equal("tensor([0, 1, 2,  ..., 7, 8, 9])", Torch.Arange(10).ToString()));
        WithOptions(() => Torch.SetPrintOptions(threshold: 10, edgeItems: 1),
            () => Assert.Equal(
                "tensor([[[ 0,  ...,  2],\n         ...,\n         [ 6,  ...,  8]],\n\n        ...,\n\n" +
                "        [[18,  ..., 20],\n         ...,\n         [24,  ..., 26]]])",
                Torch.Arange(27).View(3, 3, 3).ToString()));
    }

    // edgeitems=0: a summary shows only "...", and every non-empty tensor shows its size.
    [Fact]
    public void ZeroEdgeItemsShowsTheSize()
    {
        WithOptions(() => Torch.SetPrintOptions(edgeItems: 0), () =>
        {
            Assert.Equal("tensor([...], size=(2000,))", Torch.Arange(2000).ToString());
            Assert.Equal("tensor([0, 1, 2], size=(3,))", Torch.Arange(3).ToString());
            Assert.Equal("tensor([...], size=(40, 50))", Torch.Zeros(40, 50).ToString());
        });
        WithOptions(() => Torch.SetPrintOptions(edgeItems: 0, threshold: 0),
            () => Assert.Equal("tensor(2.5000, size=())", Torch.NewTensor(2.5).ToString()));
    }

    [Fact]
    public void LineWidth()
    {
        WithOptions(() => Torch.SetPrintOptions(lineWidth: 20), () =>
        {
            Assert.Equal("tensor([0.0000,\n        0.5000,\n        1.0000,\n        1.5000,\n        2.0000,\n        2.5000,\n        3.0000])",
                Torch.Arange(7.0).Mul(0.5).ToString());
            Assert.Equal("tensor([1., 2.],\n       dtype=torch.float64)", Repr([1, 2], DType.Float64));
        });
    }

    [Fact]
    public void Precision()
    {
        // float32(0.1) is 0.100000001490116...
        WithOptions(() => Torch.SetPrintOptions(precision: 6), () => Assert.Equal("tensor([0.100000])", Repr([0.1])));
        WithOptions(() => Torch.SetPrintOptions(precision: 10), () => Assert.Equal("tensor([0.1000000015])", Repr([0.1])));
        WithOptions(() => Torch.SetPrintOptions(precision: 0), () =>
        {
            Assert.Equal("tensor([2, 4, 1])", Repr([2.5, 3.5, 1.25]));
            Assert.Equal("tensor([1e+04, 5e-01])", Repr([12345.6, 0.5]));
        });
    }

    // sci_mode overrides the choice after the width is measured, except where there is no nonzero finite value.
    [Fact]
    public void SciModeOverride()
    {
        WithOptions(() => Torch.SetPrintOptions(sciMode: false), () =>
        {
            Assert.Equal("tensor([    0.0000,     1.0000])", Repr([1e-5, 1]));
            Assert.Equal("tensor([        1., 1000000000.])", Repr([1, 1e9]));
        });
        WithOptions(() => Torch.SetPrintOptions(sciMode: true), () =>
        {
            Assert.Equal("tensor([0., 0.])", Repr([0, 0]));
            Assert.Equal("tensor([1.0000e+00, 2.0000e+00])", Repr([1, 2]));
        });
    }

    [Fact]
    public void ProfilesMatchPyTorch()
    {
        WithOptions(() => Torch.SetPrintOptions(profile: "short"), () =>
        {
            Assert.Equal(new PrintOptions(Precision: 2, Threshold: 1000, EdgeItems: 2, LineWidth: 80), Torch.GetPrintOptions());
            Assert.Equal("tensor([   0,    1,  ..., 1998, 1999])", Torch.Arange(2000).ToString());
            Assert.Equal("tensor([1.23, 2.00])", Repr([1.23456, 2]));
        });
        WithOptions(() => Torch.SetPrintOptions(profile: "full"), () =>
        {
            Assert.Equal(new PrintOptions(Precision: 4, EdgeItems: 3, LineWidth: 80, Threshold: long.MaxValue), Torch.GetPrintOptions());
            Assert.DoesNotContain("...", Torch.Arange(2000).ToString());
        });
        // a profile is applied first, then the options given with it
        WithOptions(() => Torch.SetPrintOptions(profile: "short", precision: 3),
            () => Assert.Equal("tensor([1.235, 2.000])", Repr([1.23456, 2])));
        Assert.Equal(new PrintOptions(), Torch.GetPrintOptions());
    }

    // Deliberately stricter than PyTorch, which silently ignores a profile name it does not know.
    [Fact]
    public void UnknownProfileIsRefusedAndChangesNothing()
    {
        var error = Assert.Throws<ArgumentException>(() => Torch.SetPrintOptions(profile: "compact", precision: 2));
        Assert.Equal("Invalid profile 'compact': expected 'default', 'short' or 'full'.", error.Message);
        Assert.Equal(new PrintOptions(), Torch.GetPrintOptions());
    }
}
