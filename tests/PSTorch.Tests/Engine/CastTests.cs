namespace PSTorch.Tests.Engine;

/// <summary>Float-to-integer casts with PyTorch's CPU results (a C cast on x86), beyond the target's range too.</summary>
public sealed class CastTests
{
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void FloatsWrapIntoNarrowIntegers(DType from)
    {
        // torch.tensor([300., -1., 2.9, -2.9, 256.]).to(torch.uint8) == [44, 255, 2, 254, 0]
        var x = Torch.FromArray(new[] { 300.0, -1.0, 2.9, -2.9, 256.0 }).To(from);
        Assert.Equal([(byte)44, 255, 2, 254, 0], x.To(DType.UInt8).ToArray<byte>());
        Assert.Equal([(sbyte)44, -1, 2, -2, 0], x.To(DType.Int8).ToArray<sbyte>());
        Assert.Equal([(short)300, -1, 2, -2, 256], x.To(DType.Int16).ToArray<short>());
    }

    [Fact]
    public void FloatsBeyondInt32OrInt64OrNaNBecomeTheMinimum()
    {
        var x = Torch.FromArray(new[] { 1e10, -1e10, double.NaN, 2147483647.0, -2147483648.0 });
        Assert.Equal([int.MinValue, int.MinValue, int.MinValue, int.MaxValue, int.MinValue], x.To(DType.Int32).ToArray<int>());
        Assert.Equal([(short)0, 0, 0, -1, 0], x.To(DType.Int16).ToArray<short>());   // through int32
        // uint8 goes through int64 (c10's static_cast_with_inter_type): 5e9 + 7 keeps its low byte
        Assert.Equal([(byte)7, 0], Torch.FromArray(new[] { 5e9 + 7, double.NaN }).To(DType.UInt8).ToArray<byte>());
        var big = Torch.FromArray(new[] { 1e19, double.NaN, -9.2233720368547758E18, 1e10 });
        Assert.Equal([long.MinValue, long.MinValue, long.MinValue, 10_000_000_000L], big.To(DType.Int64).ToArray<long>());
    }
}
