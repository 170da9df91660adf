using PSTorch.Backends;
using PSTorch.Cuda.Bindings;
using PSTorch.Ops;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// Results the CUDA kernels must reproduce bit for bit (or to the last bits) from the CPU backend: PyTorch's signed zeros
/// and NaN through sign and abs (the usual comparisons treat -0.0 and 0.0 as equal), sinc where float arithmetic loses digits,
/// and uniform fills over ranges that are not a power of two (where a fused multiply-add rounds differently from the
/// CPU's separate product and sum). Skipped without a device.
/// </summary>
[Trait("Category", "Cuda")]
public sealed unsafe class CudaBitExactnessTests
{
    static readonly double[] Specials = [double.NaN, -0.0, 0.0, double.NegativeInfinity, double.PositiveInfinity, -2.5, 3.25, -1e-3];

    /// <summary>Equal bits after widening to float64 (any NaN matches any NaN).</summary>
    static void SameBits(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        var e = expected.To(DType.Float64).Contiguous().ToArray<double>();
        var a = actual.Cpu().To(DType.Float64).Contiguous().ToArray<double>();
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
            Assert.True((double.IsNaN(e[i]) && double.IsNaN(a[i])) || BitConverter.DoubleToInt64Bits(e[i]) == BitConverter.DoubleToInt64Bits(a[i]),
                $"element {i}: expected {e[i]} (bits {BitConverter.DoubleToInt64Bits(e[i]):X16}), got {a[i]} (bits {BitConverter.DoubleToInt64Bits(a[i]):X16})");
    }

    [Theory]
    [InlineData(UnaryOp.Sign, DType.Float32)]
    [InlineData(UnaryOp.Sign, DType.Float64)]
    [InlineData(UnaryOp.Sign, DType.Float16)]
    [InlineData(UnaryOp.Sgn, DType.BFloat16)]
    [InlineData(UnaryOp.Abs, DType.Float32)]
    [InlineData(UnaryOp.Abs, DType.Float64)]
    [InlineData(UnaryOp.Abs, DType.Float16)]
    [InlineData(UnaryOp.Abs, DType.BFloat16)]
    public void SignAndAbsGivePyTorchsNaNAndSignedZeros(UnaryOp op, DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.FromArray(Specials).To(dtype);
        var expected = Unary.Apply(op, x);
        // PyTorch's values: sign(NaN) = 0 and sign(-0) = +0; abs(NaN) = NaN and abs(-0) = +0
        var e = expected.To(DType.Float64).ToArray<double>();
        Assert.Equal(op == UnaryOp.Abs, double.IsNaN(e[0]));
        if (op != UnaryOp.Abs) Assert.Equal(0L, BitConverter.DoubleToInt64Bits(e[0]));
        Assert.Equal(0L, BitConverter.DoubleToInt64Bits(e[1]));
        SameBits(expected, Unary.Apply(op, x.Cuda()));
        // the strided (op-code) kernel as well as the contiguous one
        var wide = Torch.FromArray(Specials.Concat(Specials).ToArray()).To(dtype).Reshape(2, Specials.Length).T();
        SameBits(Unary.Apply(op, wide), Unary.Apply(op, CudaTensorTests.OnDevice(wide)));
    }

    /// <summary>sinc near and at nonzero integers, where computing pi * x in float loses the digits the CPU's double keeps.</summary>
    [Theory]
    [InlineData(DType.Float32, 1e-5)]
    [InlineData(DType.Float16, 4e-3)]
    [InlineData(DType.BFloat16, 2.5e-2)]
    public void SincNearIntegersMatchesTheCpu(DType dtype, double rtol)
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.FromArray(new[] { 1.0, 2.0, 3.0, -2.0, 2.9999, 1.0001, -0.9997, 7.0, 0.5, -0.25, 0.0 }).To(dtype);
        CudaTensorTests.Close(x.Sinc(), x.Cuda().Sinc(), rtol);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void UniformFillsOverAnyRangeEqualTheCpusBitForBit(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var state = new PhiloxState(0x5EED_1234UL, 3);
        foreach (var (from, to) in new[] { (-0.1, 0.7), (-0.0883883476, 0.0883883476), (1.0 / 3, 10.0) })
        {
            var expected = Tensor.Empty([1003], dtype, Device.Cpu);
            Backend.For(Device.Cpu).FillUniform(expected, from, to, state);
            using var dst = DeviceBuffer.Allocate(1003, dtype);
            var view = dst.View(dtype, [1003]);
            DeviceBuffer.Check(PstorchCuda.FillUniform(&view, from, to, state.Seed, state.Offset, null));
            SameBits(expected, dst.Download([1003], dtype));
        }
    }
}
