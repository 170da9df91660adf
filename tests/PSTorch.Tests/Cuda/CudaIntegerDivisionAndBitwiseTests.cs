using PSTorch.Ops;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// Rounding divisions, remainders and bitwise ops on a CUDA device against the CPU backend: exact for integers and for
/// floats whose values (halves of small integers) every step represents exactly; contiguous, transposed and broadcast
/// operands. Integer division by zero gives 0 on the device (the CPU raises). Skipped where no device or library is present.
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaIntegerDivisionAndBitwiseTests
{
    static readonly BinaryOp[] Divisions = [BinaryOp.DivFloor, BinaryOp.DivTrunc, BinaryOp.FloorDivide, BinaryOp.Remainder, BinaryOp.Fmod];

    /// <summary>Whole numbers in [-40, 40) and nonzero divisors in ±[1, 9], as dtype (non-negative for uint8).</summary>
    static (Tensor a, Tensor b) Operands(DType dtype)
    {
        var a = Torch.Randint(-40, 40, [33, 17], generator: new Generator(11));
        var b = Torch.Randint(1, 10, [17], generator: new Generator(12)) * (Torch.Randint(0, 2, [17], generator: new Generator(13)) * 2 - 1);
        if (dtype == DType.UInt8) (a, b) = (a.Abs(), b.Abs());
        return (a.To(dtype), b.To(dtype));
    }

    static void SameOnBothDevices(BinaryOp op, Tensor a, Tensor b)
    {
        CudaTensorTests.Close(Binary.Apply(op, a, b), Binary.Apply(op, a.Cuda(), b.Cuda()), 0);
        CudaTensorTests.Close(Binary.Apply(op, a.T(), b.Unsqueeze(1)), Binary.Apply(op, a.Cuda().T(), b.Cuda().Unsqueeze(1)), 0);
        CudaTensorTests.Close(Binary.Apply(op, b, a), Binary.Apply(op, CudaTensorTests.OnDevice(b), CudaTensorTests.OnDevice(a)), 0);
    }

    [Theory]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.Int16)]
    [InlineData(DType.Int8)]
    [InlineData(DType.UInt8)]
    public void IntegerDivisionAndBitwiseOpsAreExact(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var (a, b) = Operands(dtype);
        // b as the dividend divides by a, which holds zeros: only the ops that cannot divide by zero run that way
        foreach (var op in Divisions)
        {
            CudaTensorTests.Close(Binary.Apply(op, a, b), Binary.Apply(op, a.Cuda(), b.Cuda()), 0);
            CudaTensorTests.Close(Binary.Apply(op, a.T(), b.Unsqueeze(1)), Binary.Apply(op, a.Cuda().T(), b.Cuda().Unsqueeze(1)), 0);
        }
        foreach (var op in new[] { BinaryOp.BitwiseAnd, BinaryOp.BitwiseOr, BinaryOp.BitwiseXor })
            SameOnBothDevices(op, a, b);
        CudaTensorTests.Close(~a, ~a.Cuda(), 0);
        CudaTensorTests.Close(a % 7L, a.Cuda() % 7L, 0);
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void FloatDivisionsMatchTheCpu(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var (a, b) = Operands(DType.Float64);
        (a, b) = ((a / 2).To(dtype), (b / 2).To(dtype));
        foreach (var op in Divisions) SameOnBothDevices(op, a, b);
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void SignedZerosInfinitiesAndZeroDivisorsMatchTheCpu(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var a = Torch.NewTensor(new[] { -0.0, 1, -5, 5, 1, -1, 0, -7, 5.5 }, dtype);
        var b = Torch.NewTensor(new[] { 2, 4, double.PositiveInfinity, double.NegativeInfinity, 0, 0, 0, 0.7, -2 }, dtype);
        foreach (var op in Divisions)
        {
            var expected = Binary.Apply(op, a, b).To(DType.Float64).ToArray<double>();
            var actual = Binary.Apply(op, a.Cuda(), b.Cuda()).Cpu().To(DType.Float64).ToArray<double>();
            for (int i = 0; i < expected.Length; i++)
                Assert.True(expected[i].Equals(actual[i]) && double.IsNegative(expected[i]) == double.IsNegative(actual[i]),
                    $"{op} element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Fact]
    public void IntegerDivisionByZeroGivesZeroOnTheDevice()
    {
        DeviceBuffer.RequireDevice();
        var a = Torch.NewTensor(new long[] { 5, -5, long.MinValue, 7 }).Cuda();
        var b = Torch.NewTensor(new long[] { 0, 0, -1, 2 }).Cuda();
        Assert.Equal([0L, 0, long.MinValue, 3], a.FloorDivide(b).Cpu().ToArray<long>());
        Assert.Equal([0L, 0, long.MinValue, 3], a.Div(b, "trunc").Cpu().ToArray<long>());
        Assert.Equal([0L, 0, 0, 1], a.Remainder(b).Cpu().ToArray<long>());
        Assert.Equal([0L, 0, 0, 1], a.Fmod(b).Cpu().ToArray<long>());
    }

    [Fact]
    public void BitwiseOpsOnBoolAreLogicalAndOnFloatsAreErrors()
    {
        DeviceBuffer.RequireDevice();
        var p = Torch.NewTensor(new[] { true, true, false, false }).Cuda();
        var q = Torch.NewTensor(new[] { true, false, true, false }).Cuda();
        Assert.Equal(new[] { true, false, false, false }, (p & q).Cpu().ToArray<bool>());
        Assert.Equal(new[] { true, true, true, false }, (p | q).Cpu().ToArray<bool>());
        Assert.Equal(new[] { false, true, true, false }, (p ^ q).Cpu().ToArray<bool>());
        Assert.Equal(new[] { false, false, true, true }, (~p).Cpu().ToArray<bool>());
        var x = Torch.Ones([3]).Cuda();
        Assert.Equal("\"bitwise_and_cuda\" not implemented for 'Float'", Assert.Throws<NotSupportedException>(() => x & x).Message);
        Assert.Equal("\"bitwise_not_cuda\" not implemented for 'Float'", Assert.Throws<NotSupportedException>(() => ~x).Message);
    }
}
