using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>torch.result_type cases through real ops.</summary>
public class PromotionTests
{
    static Tensor Of(DType t, params long[] shape) => Torch.Ones(shape.Length == 0 ? [2] : shape, t);
    static Tensor ZeroDim(DType t) => Torch.Full([], 1, t);

    [Fact]
    public void Int64TensorPlusFloatScalarIsDefaultFloat()
    {
        var r = Torch.Arange(3) + 1.5;
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal(new float[] { 1.5f, 2.5f, 3.5f }, r.ToArray<float>());
    }

    [Fact]
    public void IntTensorTimesFractionIsFloat32()
    {
        var r = Torch.NewTensor(new[] { 1, 2 }, DType.Int32) * 2.5;
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal(new float[] { 2.5f, 5f }, r.ToArray<float>());
    }

    [Fact]
    public void IntegerScalarKeepsTheTensorsIntegerType()
    {
        Assert.Equal(DType.Int32, (Of(DType.Int32) + 5L).DType);
        Assert.Equal(DType.UInt8, (Of(DType.UInt8) * 3L).DType);
        Assert.Equal(DType.Float16, (Of(DType.Float16) * 3L).DType);
        Assert.Equal(DType.Float16, (Of(DType.Float16) * 3.5).DType);
    }

    [Theory]
    [InlineData(DType.UInt8, DType.Int8, DType.Int16)]
    [InlineData(DType.Int32, DType.Int64, DType.Int64)]
    [InlineData(DType.Int64, DType.Float32, DType.Float32)]
    [InlineData(DType.Float16, DType.BFloat16, DType.Float32)]
    [InlineData(DType.Float32, DType.Float64, DType.Float64)]
    [InlineData(DType.Bool, DType.Int8, DType.Int8)]
    [InlineData(DType.Bool, DType.Bool, DType.Bool)]
    public void TensorsWithDimensionsPromote(DType a, DType b, DType expected)
    {
        Assert.Equal(expected, (Of(a) + Of(b)).DType);
        Assert.Equal(expected, (Of(b) + Of(a)).DType);
    }

    [Fact]
    public void ZeroDimTensorsOnlyRaiseTheCategory()
    {
        Assert.Equal(DType.Float32, (ZeroDim(DType.Float64) + Of(DType.Float32)).DType);
        Assert.Equal(DType.Int32, (Of(DType.Int32) + ZeroDim(DType.Int64)).DType);
        Assert.Equal(DType.Float64, (Of(DType.Int32) + ZeroDim(DType.Float64)).DType);
        Assert.Equal(DType.Float64, (ZeroDim(DType.Float64) + ZeroDim(DType.Float32)).DType);
    }

    [Fact]
    public void BoolWithScalars()
    {
        Assert.Equal(DType.Int64, (Of(DType.Bool) + 1L).DType);
        Assert.Equal(DType.Float32, (Of(DType.Bool) + 1.5).DType);
    }

    [Fact]
    public void BoolPlusBoolIsOrAndTimesIsAnd()
    {
        var a = Torch.NewTensor(new[] { true, true, false, false });
        var b = Torch.NewTensor(new[] { true, false, true, false });
        Assert.Equal(new[] { true, true, true, false }, (a + b).ToArray<bool>());
        Assert.Equal(new[] { true, false, false, false }, (a * b).ToArray<bool>());
        Assert.Equal(DType.Bool, (a + b).DType);
        Assert.Contains("Subtraction, the `-` operator, with two bool tensors is not supported", Assert.Throws<InvalidOperationException>(() => a - b).Message);
    }

    [Fact]
    public void IntegerDivisionIsTrueDivision()
    {
        var r = Torch.NewTensor(new[] { 1, 3 }) / Torch.NewTensor(new[] { 2, 2 });
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal(new float[] { 0.5f, 1.5f }, r.ToArray<float>());
    }

    [Fact]
    public void InPlaceCannotLowerTheCategory()
    {
        var i = Torch.Arange(3);
        var e = Assert.Throws<InvalidOperationException>(() => i.Mul_(1.5));
        Assert.Equal("result type Float can't be cast to the desired output type Long", e.Message);
        var f = Torch.Zeros(2);
        f.Add_(Torch.Arange(2));
        Assert.Equal(new float[] { 0, 1 }, f.ToArray<float>());
    }
}
