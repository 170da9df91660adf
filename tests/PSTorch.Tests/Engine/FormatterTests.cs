using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>Tensor.ToString() against the strings PyTorch prints for the same tensors.</summary>
[Collection("PrintOptions")]
public class FormatterTests
{
    [Fact]
    public void IntegerMatrixIsAlignedToTheWidestElement() =>
        Assert.Equal("tensor([[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]])", Torch.Arange(12).View(3, 4).ToString());

    [Fact]
    public void WholeFloatsPrintWithATrailingPoint() =>
        Assert.Equal("tensor([1., 2.])", Torch.NewTensor(new[] { 1.0, 2.0 }).ToString());

    [Fact]
    public void FractionalFloatsPrintFourDecimals() =>
        Assert.Equal("tensor([0.1000, 2.5000])", Torch.NewTensor(new[] { 0.1, 2.5 }).ToString());

    [Fact]
    public void NegativeValuesArePadded() =>
        Assert.Equal("tensor([-1.5000,  2.0000])", Torch.NewTensor(new[] { -1.5, 2.0 }).ToString());

    [Fact]
    public void WideRangeUsesScientificNotation()
    {
        Assert.Equal("tensor([1.0000e-05, 1.0000e+00])", Torch.NewTensor(new[] { 1e-5, 1.0 }).ToString());
        Assert.Equal("tensor([1.0000e-04, 1.0000e+00])", Torch.NewTensor(new[] { 1e-4, 1.0 }).ToString());
        Assert.Equal("tensor([1.0000e+10, 1.0000e+00])", Torch.NewTensor(new[] { 1e10, 1.0 }).ToString());
        Assert.Equal("tensor([123.4560,   0.5000])", Torch.NewTensor(new[] { 123.456, 0.5 }).ToString());
    }

    [Fact]
    public void NanAndInfinity()
    {
        Assert.Equal("tensor([nan, 1., inf])", Torch.NewTensor(new[] { double.NaN, 1.0, double.PositiveInfinity }).ToString());
        Assert.Equal("tensor([   -inf, -0.5000])", Torch.NewTensor(new[] { double.NegativeInfinity, -0.5 }).ToString());
        Assert.Equal("tensor([0., 0.])", Torch.Zeros(2).ToString());
    }

    [Fact]
    public void BoolsArePaddedToFalse() =>
        Assert.Equal("tensor([ True, False])", Torch.NewTensor(new[] { true, false }).ToString());

    [Fact]
    public void ZeroDimensional()
    {
        Assert.Equal("tensor(3.)", Torch.NewTensor(3.0).ToString());
        Assert.Equal("tensor(7)", Torch.NewTensor(7L).ToString());
        Assert.Equal("tensor(2.5000, dtype=torch.float16)", Torch.NewTensor(2.5, DType.Float16).ToString());
    }

    [Fact]
    public void EmptyTensors()
    {
        Assert.Equal("tensor([])", Torch.NewTensor(Array.Empty<double>()).ToString());
        Assert.Equal("tensor([], size=(0, 3))", Torch.Zeros(0, 3).ToString());
        Assert.Equal("tensor([], dtype=torch.int64)", Torch.Arange(0).ToString());
    }

    [Fact]
    public void DTypeSuffixOnlyForNonDefaultTypes()
    {
        Assert.Equal("tensor([1., 2.], dtype=torch.float64)", Torch.NewTensor(new[] { 1.0, 2.0 }, DType.Float64).ToString());
        Assert.Equal("tensor([1, 2], dtype=torch.int32)", Torch.NewTensor(new[] { 1, 2 }, DType.Int32).ToString());
        Assert.Equal("tensor([1, 2], dtype=torch.uint8)", Torch.NewTensor(new[] { 1, 2 }, DType.UInt8).ToString());
        Assert.Equal("tensor([1.5000], dtype=torch.bfloat16)", Torch.NewTensor(new[] { 1.5 }, DType.BFloat16).ToString());
    }

    [Fact]
    public void GradSuffixes()
    {
        var x = Torch.Ones([2, 2], requiresGrad: true);
        Assert.Equal("tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)", x.ToString());
        Assert.Equal("tensor([[2., 2.],\n        [2., 2.]], grad_fn=<MulBackward0>)", (x * 2).ToString());
    }

    [Fact]
    public void ThreeDimensionsSeparateBlocksWithABlankLine() =>
        Assert.Equal("tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])", Torch.Arange(8).View(2, 2, 2).ToString());

    [Fact]
    public void LongVectorsWrapAtTheLineWidth() =>
        Assert.Equal(
            "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n" +
            "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n" +
            "        28., 29.])", Torch.Arange(30.0).ToString());

    [Fact]
    public void SuffixMovesToANewLineWhenItDoesNotFit() =>
        Assert.Equal(
            "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.],\n       dtype=torch.float64)",
            Torch.Arange(14.0, DType.Float64).ToString());

    [Fact]
    public void LargeTensorsAreSummarised()
    {
        Assert.Equal("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])", Torch.Arange(2000).ToString());
        var rows = string.Join(",\n        ", Enumerable.Repeat("[0., 0., 0.,  ..., 0., 0., 0.]", 3));
        Assert.Equal($"tensor([{rows},\n        ...,\n        {rows}])", Torch.Zeros(100, 100).ToString());
    }

    [Fact]
    public void NonContiguousTensorsPrintInLogicalOrder() =>
        Assert.Equal("tensor([[0, 2],\n        [1, 3]])", Torch.Arange(4).View(2, 2).T().ToString());

    [Fact]
    public void PrintOptionsChangePrecisionAndRestore()
    {
        try
        {
            Torch.SetPrintOptions(precision: 2);
            Assert.Equal("tensor([1.23])", Torch.NewTensor(new[] { 1.2345 }, DType.Float64).ToString().Replace(", dtype=torch.float64", ""));
            Torch.SetPrintOptions(sciMode: true);
            Assert.Equal("tensor([1.50e+00])", Torch.NewTensor(new[] { 1.5 }).ToString());
        }
        finally { Torch.SetPrintOptions(profile: "default"); }
        Assert.Equal("tensor([1.2345])", Torch.NewTensor(new[] { 1.2345 }).ToString());
    }

    [Theory]
    [InlineData(0.125, 2, "0.12")]
    [InlineData(0.375, 2, "0.38")]
    [InlineData(2.675, 2, "2.67")]
    [InlineData(-0.00001, 4, "-0.0000")]
    [InlineData(1e20, 0, "100000000000000000000")]
    public void FixedRoundsTheExactBinaryValueHalfToEven(double v, int precision, string expected) =>
        Assert.Equal(expected, TensorFormatter.Fixed(v, precision));

    [Theory]
    [InlineData(12345.0, 2, "1.23e+04")]
    [InlineData(9.9999, 2, "1.00e+01")]
    [InlineData(1e-300, 4, "1.0000e-300")]
    [InlineData(-2.5e-7, 1, "-2.5e-07")]
    [InlineData(1000.0, 4, "1.0000e+03")]
    public void ScientificMatchesPython(double v, int precision, string expected) =>
        Assert.Equal(expected, TensorFormatter.Scientific(v, precision));
}

[CollectionDefinition("PrintOptions", DisableParallelization = true)]
public class PrintOptionsCollection;
