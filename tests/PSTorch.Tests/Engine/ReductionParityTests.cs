using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

/// <summary>
/// Reductions checked against PyTorch's semantics (aten/src/ATen/native/ReduceOps.cpp, ReduceAllOps.cpp,
/// TensorCompare.cpp): result dtypes, empty inputs, ties, NaN propagation, keepdim shapes and error texts.
/// </summary>
public class ReductionParityTests
{
    static Tensor Floats(float[] values, params long[] shape) => Torch.FromArray(values, shape.Length == 0 ? [values.Length] : shape);

    [Theory]
    [InlineData(DType.Bool)]
    [InlineData(DType.UInt8)]
    [InlineData(DType.Int8)]
    [InlineData(DType.Int16)]
    [InlineData(DType.Int32)]
    [InlineData(DType.Int64)]
    public void SumAndProdOfIntegersAndBoolsAreInt64(DType dtype)
    {
        var x = Torch.Ones([2, 3], dtype);
        Assert.Equal(DType.Int64, x.Sum().DType);
        Assert.Equal(DType.Int64, x.Sum(1).DType);
        Assert.Equal(DType.Int64, x.Prod().DType);
        Assert.Equal(DType.Int64, x.Prod(0).DType);
        Assert.Equal(6L, x.Sum().Item());
        Assert.Equal(1L, x.Prod().Item());
    }

    [Fact]
    public void IntegerSumsDoNotOverflowTheInputType()
    {
        // torch.full((3,), 100, dtype=torch.int8).sum() -> 300 (accumulated in int64)
        Assert.Equal(300L, Torch.Full([3], 100, DType.Int8).Sum().Item());
        Assert.Equal(255L * 255 * 255, Torch.Full([3], 255, DType.UInt8).Prod().Item());
        Assert.Equal(DType.Float16, Torch.Ones([3], DType.Float16).Sum().DType);
        Assert.Equal(DType.BFloat16, Torch.Ones([3], DType.BFloat16).Prod().DType);
    }

    [Fact]
    public void MeanOfIntegersIsPyTorchsError()
    {
        var e = Assert.ThrowsAny<Exception>(() => Torch.Arange(4).Mean());
        Assert.Equal("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long", e.Message);
        e = Assert.ThrowsAny<Exception>(() => Torch.Ones([2], DType.Bool).Mean(0));
        Assert.Equal("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Bool", e.Message);
        Assert.Equal(1.5, (double)Torch.Arange(4).Mean(DType.Float64).Item());
    }

    [Fact]
    public void EmptyReductions()
    {
        var e = Torch.Zeros(0);
        Assert.Equal(0.0, e.Sum().Item());
        Assert.Equal(1.0, e.Prod().Item());
        Assert.True(double.IsNaN((double)e.Mean().Item()));
        Assert.Equal(0L, Torch.Zeros([0], DType.Int64).Sum().Item());
        Assert.Equal(1L, Torch.Zeros([0], DType.Int32).Prod().Item());
        Close([double.NaN, double.NaN, double.NaN], Torch.Zeros(0, 3).Mean(0));
        Assert.Equal(0.0, e.Norm().Item());
        Assert.True(e.All().Item() is true);
        Assert.True(e.Any().Item() is false);
        // a reduction over a non-empty dim of an empty tensor is empty
        Assert.Equal(new long[] { 0 }, Torch.Zeros(0, 3).Max(1).Values.Shape);
        Assert.Equal(new long[] { 0 }, Torch.Zeros(0, 3).Argmax(1).Shape);
        Assert.Equal(new long[] { 0, 1 }, Torch.Zeros(0, 3).Sum(1, keepDim: true).Shape);
    }

    [Fact]
    public void VarAndStdOfEmptyInputsAreNaN()
    {
        Assert.True(double.IsNaN((double)Torch.Zeros(0).Var().Item()));
        Assert.True(double.IsNaN((double)Torch.Zeros(0).Std().Item()));
    }

    [Fact]
    public void MaxMinArgmaxOfEmptyWithoutADimAreErrors()
    {
        var e = Torch.Zeros(0, 3);
        Assert.Equal("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.",
            Assert.ThrowsAny<Exception>(() => e.Max()).Message);
        Assert.Equal("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.",
            Assert.ThrowsAny<Exception>(() => e.Min()).Message);
        Assert.Equal("argmax(): Expected reduction dim to be specified for input.numel() == 0.",
            Assert.ThrowsAny<Exception>(() => e.Argmax()).Message);
        Assert.Equal("argmin(): Expected reduction dim to be specified for input.numel() == 0.",
            Assert.ThrowsAny<Exception>(() => e.Argmin()).Message);
        Assert.Equal("amax(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.",
            Assert.ThrowsAny<Exception>(() => e.Amax()).Message);
    }

    [Fact]
    public void MaxMinArgmaxOverAnEmptyDimAreErrors()
    {
        var e = Torch.Zeros(0, 3);
        Assert.Equal("max(): Expected reduction dim 0 to have non-zero size.", Assert.ThrowsAny<Exception>(() => e.Max(0)).Message);
        Assert.Equal("min(): Expected reduction dim 0 to have non-zero size.", Assert.ThrowsAny<Exception>(() => e.Min(-2)).Message);
        Assert.Equal("argmax(): Expected reduction dim 0 to have non-zero size.", Assert.ThrowsAny<Exception>(() => e.Argmax(0)).Message);
        Assert.Equal("amax(): Expected reduction dim 0 to have non-zero size.", Assert.ThrowsAny<Exception>(() => e.Amax(0)).Message);
    }

    [Fact]
    public void MaxAndMinAlongADimReturnTheFirstIndexOfTies()
    {
        var x = Floats([1, 3, 3, 0, 2, 2, 0, 5], 2, 4);
        var max = x.Max(1);
        Close([3, 5], max.Values);
        Assert.Equal(new long[] { 1, 3 }, max.Indices.ToArray<long>());
        var min = x.Min(1);
        Close([0, 0], min.Values);
        Assert.Equal(new long[] { 3, 2 }, min.Indices.ToArray<long>());
        Assert.Equal(new long[] { 1, 3 }, x.Argmax(1).ToArray<long>());
        Assert.Equal(new long[] { 3, 2 }, x.Argmin(-1).ToArray<long>());
        var ones = Torch.Ones(3, 2);
        Assert.Equal(new long[] { 0, 0 }, ones.Max(0).Indices.ToArray<long>());
        Assert.Equal(0L, ones.Argmax().Item());
        Assert.Equal(DType.Int64, max.Indices.DType);
    }

    [Fact]
    public void ArgmaxWithoutADimIndexesTheFlattenedTensor()
    {
        var x = Floats([1, 5, 7, 2, 7, 0], 2, 3);
        Assert.Equal(2L, x.Argmax().Item());
        Assert.Equal(5L, x.Argmin().Item());
        // non-contiguous: x.T is [[1, 2], [5, 7], [7, 0]], flattened in its own (logical) order
        Assert.Equal(3L, x.T().Argmax().Item());
        var kept = x.Argmax(keepDim: true);
        Assert.Equal(new long[] { 1, 1 }, kept.Shape);
        Assert.Equal(2L, kept.Item());
    }

    [Fact]
    public void ReductionsOfZeroDimTensors()
    {
        var s = Torch.Full([], 4.0);
        var m = s.Max(0);
        Assert.Equal(4.0, m.Values.Item());
        Assert.Equal(0L, m.Indices.Item());
        Assert.Equal(0L, s.Argmax(-1).Item());
        Assert.Equal(4.0, s.Sum(0).Item());
        Assert.Equal("Dimension out of range (expected to be in range of [-1, 0], but got 1)", Assert.ThrowsAny<Exception>(() => s.Max(1)).Message);
    }

    [Fact]
    public void NaNPropagates()
    {
        var x = Floats([1, float.NaN, 3, 4, 2, 1], 2, 3);
        Assert.True(double.IsNaN((double)x.Max().Item()));
        Assert.True(double.IsNaN((double)x.Min().Item()));
        Assert.True(double.IsNaN((double)x.Sum().Item()));
        Assert.True(double.IsNaN((double)x.Prod().Item()));
        Assert.True(double.IsNaN((double)x.Mean().Item()));
        Assert.Equal(1L, x.Argmax().Item());
        Assert.Equal(1L, x.Argmin().Item());
        var max = x.Max(1);
        Close([double.NaN, 4], max.Values);
        Assert.Equal(new long[] { 1, 0 }, max.Indices.ToArray<long>());
        var min = x.Min(1);
        Close([double.NaN, 1], min.Values);
        Assert.Equal(new long[] { 1, 2 }, min.Indices.ToArray<long>());
        Close([double.NaN, 4], x.Amax(1));
        Close([double.NaN, 1], x.Amin(1));
        Close([4, double.NaN, 3], x.Amax(0));
        // NaN after the extreme still wins
        var late = Floats([5, 1, float.NaN]);
        Assert.True(double.IsNaN((double)late.Max().Item()));
        Assert.Equal(2L, late.Argmax().Item());
        Assert.Equal(2L, late.Max(0).Indices.Item());
    }

    [Fact]
    public void VarAndStdUseBesselsCorrectionByDefault()
    {
        var x = Floats([1, 2, 3, 4]);
        Assert.Equal(5.0 / 3, (double)x.Var().Item(), 6);
        Assert.Equal(Math.Sqrt(5.0 / 3), (double)x.Std().Item(), 6);
        Assert.Equal(1.25, (double)x.Var(correction: 0).Item(), 6);
        Assert.Equal(1.25, (double)x.Var(unbiased: false).Item(), 6);
        Assert.Equal(Math.Sqrt(1.25), (double)x.Std(unbiased: false).Item(), 6);
        Assert.Equal(5.0 / 2, (double)x.Var(correction: 2).Item(), 6);
        var m = Floats([1, 2, 3, 4, 6, 8], 2, 3);
        Close([1, 4], m.Var(1));
        Close([4.5, 8, 12.5], m.Var(0));
        Assert.Equal(new long[] { 2, 1 }, m.Std(-1, keepDim: true).Shape);
    }

    [Fact]
    public void VarAndStdOfOneElementAreNaN()
    {
        Assert.True(double.IsNaN((double)Floats([3]).Var().Item()));
        Assert.True(double.IsNaN((double)Floats([3]).Std().Item()));
        Close([double.NaN, double.NaN], Floats([1, 2], 2, 1).Std(1));
        Assert.Equal(0.0, Floats([3]).Var(correction: 0).Item());
    }

    [Fact]
    public void VarOfIntegersIsAnError()
    {
        Assert.Equal("std and var only support floating point and complex dtypes",
            Assert.ThrowsAny<Exception>(() => Torch.Arange(3).Var()).Message);
    }

    [Fact]
    public void NormOrders()
    {
        var x = Floats([3, -4, 0]);
        Assert.Equal(5.0, x.Norm().Item());
        Assert.Equal(5.0, x.Norm(2).Item());
        Assert.Equal(5.0, x.Norm("fro").Item());
        Assert.Equal(7.0, x.Norm(1).Item());
        Assert.Equal(4.0, x.Norm(double.PositiveInfinity).Item());
        Assert.Equal(0.0, x.Norm(double.NegativeInfinity).Item());
        Assert.Equal(3.0, Floats([3, -4]).Norm(double.NegativeInfinity).Item());
        Assert.Equal(2.0, x.Norm(0).Item());
        Assert.Equal(Math.Pow(91, 1.0 / 3), (double)x.Norm(3).Item(), 5);
        var m = Floats([3, 4, 6, 8], 2, 2);
        Close([5, 10], m.Norm(2, 1));
        Assert.Equal(new long[] { 1, 2 }, m.Norm(1, 0, keepDim: true).Shape);
        Close([9, 12], m.Norm(1, 0));
        Assert.Equal(DType.Float64, Torch.FromArray(new[] { 3.0, 4.0 }).Norm().DType);
    }

    [Fact]
    public void NormOfIntegersIsAnError()
    {
        Assert.Equal("linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long",
            Assert.ThrowsAny<Exception>(() => Torch.Arange(3).Norm()).Message);
    }

    [Fact]
    public void KeepDimShapes()
    {
        var x = Torch.Ones(2, 3, 4);
        Assert.Equal(new long[] { 2, 1, 4 }, x.Sum(1, keepDim: true).Shape);
        Assert.Equal(new long[] { 1, 1, 1 }, x.Sum([0, 1, 2], keepDim: true).Shape);
        Assert.Equal(new long[] { 2, 3, 1 }, x.Mean(-1, keepDim: true).Shape);
        Assert.Equal(new long[] { 1, 3, 4 }, x.Prod(0, keepDim: true).Shape);
        var max = x.Max(1, keepDim: true);
        Assert.Equal(new long[] { 2, 1, 4 }, max.Values.Shape);
        Assert.Equal(new long[] { 2, 1, 4 }, max.Indices.Shape);
        Assert.Equal(new long[] { 2, 3, 1 }, x.Argmax(2, keepDim: true).Shape);
        Assert.Equal(new long[] { 1, 3, 1 }, x.Var([0, 2], keepDim: true).Shape);
        Assert.Equal(new long[] { 2, 1, 4 }, x.All(1, keepDim: true).Shape);
        Assert.Equal(new long[] { 2, 4 }, x.Amax(1).Shape);
    }

    [Fact]
    public void DimOutOfRangeIsPyTorchsError()
    {
        var x = Torch.Ones(2, 3);
        const string message = "Dimension out of range (expected to be in range of [-2, 1], but got 2)";
        Assert.Equal(message, Assert.ThrowsAny<Exception>(() => x.Sum(2)).Message);
        Assert.Equal(message, Assert.ThrowsAny<Exception>(() => x.Mean(2)).Message);
        Assert.Equal(message, Assert.ThrowsAny<Exception>(() => x.Max(2)).Message);
        Assert.Equal(message, Assert.ThrowsAny<Exception>(() => x.Argmax(2)).Message);
        Assert.Equal(message, Assert.ThrowsAny<Exception>(() => x.Prod(2)).Message);
        Assert.Equal(message, Assert.ThrowsAny<Exception>(() => x.Var(2)).Message);
        Assert.Equal(message, Assert.ThrowsAny<Exception>(() => x.Softmax(2)).Message);
        Assert.Equal("Dimension out of range (expected to be in range of [-2, 1], but got -3)", Assert.ThrowsAny<Exception>(() => x.Sum(-3)).Message);
        Assert.Equal("dim 1 appears multiple times in the list of dims", Assert.ThrowsAny<Exception>(() => x.Sum([1, -1])).Message);
    }

    [Fact]
    public void AllAndAnyReturnBool()
    {
        var x = Floats([0, 1, 2, 3], 2, 2);
        Assert.Equal(DType.Bool, x.All().DType);
        Assert.Equal(new[] { false, true }, x.All(1).ToArray<bool>());
        Assert.Equal(new[] { true, true }, x.Any(1).ToArray<bool>());
        Assert.True(Floats([float.NaN]).All().Item() is true);
    }

    [Fact]
    public void AllAndAnyOfUInt8StayUInt8()
    {
        var x = Torch.FromArray(new byte[] { 0, 7, 3, 9 }, [2, 2]);
        Assert.Equal(DType.UInt8, x.All().DType);
        Assert.Equal(new byte[] { 0, 1 }, x.All(1).ToArray<byte>());
        Assert.Equal(new byte[] { 1, 1 }, x.Any(1).ToArray<byte>());
        Assert.Equal(DType.Bool, Torch.Ones([2], DType.Int8).Any().DType);
    }

    [Fact]
    public void NormAndVarPropagateNaN()
    {
        var x = Floats([1, float.NaN, 3]);
        Assert.True(double.IsNaN((double)x.Norm().Item()));
        Assert.True(double.IsNaN((double)x.Norm(1).Item()));
        Assert.True(double.IsNaN((double)x.Norm(double.PositiveInfinity).Item()));
        Assert.True(double.IsNaN((double)x.Var().Item()));
        Assert.True(double.IsNaN((double)x.Std().Item()));
    }

    [Fact]
    public void MaxAlongADimOfBoolAndSmallIntegersKeepsTheDType()
    {
        var b = Torch.NewTensor(new[] { false, true, true }).Max(0);
        Assert.Equal(DType.Bool, b.Values.DType);
        Assert.Equal(true, b.Values.Item());
        Assert.Equal(1L, b.Indices.Item());
        var i = Torch.FromArray(new sbyte[] { -5, 3, 3 }).Max(0);
        Assert.Equal(DType.Int8, i.Values.DType);
        Assert.Equal(1L, i.Indices.Item());
    }

    [Fact]
    public void HalfPrecisionSumsAccumulateInFloat32()
    {
        // a float16 running sum would stop at 2048 (and bfloat16 at 256); PyTorch accumulates in float32
        Assert.Equal(4096.0, (double)Torch.Ones([4096], DType.Float16).Sum().Item());
        Assert.Equal(1000.0, (double)Torch.Ones([1000], DType.BFloat16).Sum().Item());
        Assert.Equal((Half)4096, Torch.Ones([2, 4096], DType.Float16).Sum(1).ToArray<Half>()[0]);
        Assert.Equal((Half)4096, Torch.Ones([4096, 2], DType.Float16).Sum(0).ToArray<Half>()[0]);
        Assert.Equal(1.0, (double)Torch.Ones([4096], DType.Float16).Mean().Item());
    }
}
