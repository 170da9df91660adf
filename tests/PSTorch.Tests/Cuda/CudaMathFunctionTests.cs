using PSTorch.Ops;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// The elementwise math functions on a CUDA device against the CPU backend: every new unary and binary op on
/// contiguous, transposed and broadcast operands in each floating dtype, integer rounding as a copy, and the
/// compositions (classification, nan_to_num, lerp, addcmul, addcdiv, logit, round(decimals)) with their gradients.
/// Tolerances as CudaTensorTests' for transcendental functions (the device's libm and the CPU's differ in the last
/// bits). Skipped where no device or library is present.
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaMathFunctionTests
{
    static readonly UnaryOp[] UnaryOps =
    [
        UnaryOp.Floor, UnaryOp.Ceil, UnaryOp.Round, UnaryOp.Trunc, UnaryOp.Frac, UnaryOp.Sgn, UnaryOp.Log1p, UnaryOp.Expm1,
        UnaryOp.Log2, UnaryOp.Log10, UnaryOp.Exp2, UnaryOp.Tan, UnaryOp.Asin, UnaryOp.Acos, UnaryOp.Atan, UnaryOp.Sinh,
        UnaryOp.Cosh, UnaryOp.Asinh, UnaryOp.Acosh, UnaryOp.Atanh, UnaryOp.Erf, UnaryOp.Erfc, UnaryOp.Erfinv, UnaryOp.Sinc,
        UnaryOp.Deg2rad, UnaryOp.Rad2deg,
    ];

    static readonly BinaryOp[] BinaryOps =
    [
        BinaryOp.Atan2, BinaryOp.Hypot, BinaryOp.Xlogy, BinaryOp.Copysign, BinaryOp.Fmax, BinaryOp.Fmin, BinaryOp.Logaddexp, BinaryOp.Logaddexp2,
    ];

    static double Tolerance(DType dtype) => dtype switch
    {
        DType.Float64 => 1e-12,
        DType.Float32 => 1e-5,
        DType.Float16 => 4e-3,
        _ => 2.5e-2,
    };

    /// <summary>Uniform values in (-3, 3) with NaN, infinities and signed zeros mixed in; outside a function's domain both give NaN.</summary>
    static Tensor Values(long[] shape, int seed, DType dtype)
    {
        var x = Torch.Rand(shape, generator: new Generator(seed)).To(DType.Float64) * 6 - 3;
        var flat = x.Reshape(-1);
        flat[0] = Torch.Scalar(double.NaN, DType.Float64);
        flat[1] = Torch.Scalar(double.PositiveInfinity, DType.Float64);
        flat[2] = Torch.Scalar(double.NegativeInfinity, DType.Float64);
        flat[3] = Torch.Scalar(-0.0, DType.Float64);
        flat[4] = Torch.Scalar(0.5, DType.Float64);
        flat[5] = Torch.Scalar(2.5, DType.Float64);
        return x.To(dtype);
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void UnaryFunctionsMatchTheCpu(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var contiguous = Values([37, 53], 1, dtype);
        var transposed = Values([53, 37], 2, dtype).T();
        // erfinv, atanh, asin, acos need [-1, 1]: a scaled copy keeps them away from NaN
        var unit = (Values([41, 29], 3, dtype) / 3).T();
        foreach (var op in UnaryOps)
            foreach (var x in new[] { contiguous, transposed, unit })
            {
                var expected = Unary.Apply(op, x);
                var actual = Unary.Apply(op, CudaTensorTests.OnDevice(x));
                // erfinv's slope is unbounded near ±1: compare it where it is
                CudaTensorTests.Close(expected, actual, Tolerance(dtype), op == UnaryOp.Erfinv ? Tolerance(dtype) : 0);
            }
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void BinaryFunctionsMatchTheCpuOnBroadcastOperands(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var a = Values([33, 17], 4, dtype);
        var b = Values([17], 5, dtype).Abs();
        var c = Values([17, 33], 6, dtype).T();
        foreach (var op in BinaryOps)
        {
            CudaTensorTests.Close(Binary.Apply(op, a, b), Binary.Apply(op, a.Cuda(), b.Cuda()), Tolerance(dtype), Tolerance(dtype));
            CudaTensorTests.Close(Binary.Apply(op, b, a), Binary.Apply(op, b.Cuda(), a.Cuda()), Tolerance(dtype), Tolerance(dtype));
            CudaTensorTests.Close(Binary.Apply(op, a, c), Binary.Apply(op, a.Cuda(), CudaTensorTests.OnDevice(c)), Tolerance(dtype), Tolerance(dtype));
        }
    }

    [Theory]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.UInt8)]
    public void IntegerInputsRoundAsACopyAndPromoteForFloatingFunctions(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.Randint(0, 100, [23, 19], generator: new Generator(7)).To(dtype);
        var gpu = x.Cuda();
        foreach (var op in new[] { UnaryOp.Floor, UnaryOp.Ceil, UnaryOp.Round, UnaryOp.Trunc, UnaryOp.Sgn })
            CudaTensorTests.Close(Unary.Apply(op, x), Unary.Apply(op, gpu), 0);
        CudaTensorTests.Close(x.Log1p(), gpu.Log1p(), 1e-5);
        CudaTensorTests.Close(x.Atan2(x.T().Contiguous().T()), gpu.Atan2(gpu), 1e-5);
        CudaTensorTests.Close(x.Fmax(x + 1), gpu.Fmax(gpu + 1), 0);
        Assert.Equal("\"hypot_cuda\" not implemented for '" + dtype.LegacyName() + "'", Assert.Throws<NotSupportedException>(() => gpu.Hypot(gpu)).Message);
        Assert.Equal("\"frac_cuda\" not implemented for '" + dtype.LegacyName() + "'", Assert.Throws<NotSupportedException>(() => gpu.Frac()).Message);
    }

    [Fact]
    public void CompositionsMatchTheCpu()
    {
        DeviceBuffer.RequireDevice();
        var x = Values([29, 31], 8, DType.Float32);
        var gpu = x.Cuda();
        CudaTensorTests.Close(x.IsNan(), gpu.IsNan(), 0);
        CudaTensorTests.Close(x.IsInf(), gpu.IsInf(), 0);
        CudaTensorTests.Close(x.IsFinite(), gpu.IsFinite(), 0);
        CudaTensorTests.Close(x.IsPosInf(), gpu.IsPosInf(), 0);
        CudaTensorTests.Close(x.Signbit(), gpu.Signbit(), 0);
        CudaTensorTests.Close(x.NanToNum(), gpu.NanToNum(), 0);
        CudaTensorTests.Close(x.Round(2), gpu.Round(2), 1e-6);
        var p = Torch.Rand([29, 31], generator: new Generator(9));
        CudaTensorTests.Close(p.Logit(1e-3), p.Cuda().Logit(1e-3), 1e-5);
        var end = Torch.Randn([31], generator: new Generator(10));
        var weight = Torch.Rand([29, 1], generator: new Generator(11));
        CudaTensorTests.Close(p.Lerp(end, 0.7), p.Cuda().Lerp(end.Cuda(), 0.7), 1e-6);
        CudaTensorTests.Close(p.Lerp(end, weight), p.Cuda().Lerp(end.Cuda(), weight.Cuda()), 1e-6);
        CudaTensorTests.Close(p.Addcmul(end, weight, 0.5), p.Cuda().Addcmul(end.Cuda(), weight.Cuda(), 0.5), 1e-6);
        CudaTensorTests.Close(p.Addcdiv(end, weight + 1, 0.5), p.Cuda().Addcdiv(end.Cuda(), (weight + 1).Cuda(), 0.5), 1e-6);
        CudaTensorTests.Close(p.FloatPower(2.5), p.Cuda().FloatPower(2.5), 1e-12);
    }

    [Fact]
    public void GradientsMatchTheCpu()
    {
        DeviceBuffer.RequireDevice();
        var values = Torch.Rand([7, 5], generator: new Generator(12)).To(DType.Float64) * 0.8 + 0.1;
        var other = Torch.Rand([5], generator: new Generator(13)).To(DType.Float64) + 0.5;
        Func<Tensor, Tensor, Tensor>[] functions =
        [
            (x, _) => x.Erfinv(), (x, _) => x.Atanh(), (x, _) => x.Log1p(), (x, _) => x.Sinc(), (x, _) => x.Logit(),
            (x, y) => x.Atan2(y), (x, y) => x.Hypot(y), (x, y) => x.Xlogy(y), (x, y) => x.Logaddexp2(y),
            (x, y) => x.Lerp(y, y), (x, y) => x.Addcdiv(x, y, 0.5), (x, y) => x.NanToNum().Fmin(y),
        ];
        foreach (var f in functions)
        {
            var (xc, yc) = (values.Detach().RequiresGrad_(), other.Detach().RequiresGrad_());
            var (xg, yg) = (values.Cuda().Detach().RequiresGrad_(), other.Cuda().Detach().RequiresGrad_());
            f(xc, yc).Sum().Backward();
            f(xg, yg).Sum().Backward();
            CudaTensorTests.Close(xc.Grad!, xg.Grad!, 1e-10, 1e-12);
            if (yc.Grad is { } g) CudaTensorTests.Close(g, yg.Grad!, 1e-10, 1e-12);
        }
    }
}
