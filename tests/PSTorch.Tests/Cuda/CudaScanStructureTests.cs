using PSTorch.Backends;
using PSTorch.Backends.Cuda;
using PSTorch.Cuda.Bindings;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// Scans (pst_scan) and the structural ops composed of device ops on a CUDA device against the CPU on random,
/// transposed and sliced inputs. cummax/cummin and integer scans are exact; the device scans contiguous lines 32
/// elements at a time across a warp (another order of additions than the CPU's sequential one), and float32 sums
/// accumulate in float on the device and in double on the CPU (both PyTorch's), hence tolerances for floating
/// sums, products and log-sum-exps. Skipped where no device or library is present, except the op-code table check.
/// </summary>
public sealed class CudaScanStructureTests
{
    static Tensor OnDevice(Tensor cpu) => CudaTensorTests.OnDevice(cpu);

    static Tensor Values(long[] shape, DType dtype, int seed) => dtype.IsFloatingPoint()
        ? Torch.Randn(shape, generator: new Generator(seed)).To(dtype)
        : Torch.Randint(-5, 6, shape, DType.Int64, generator: new Generator(seed)).To(dtype);

    static IEnumerable<Tensor> Layouts(DType dtype, int seed)
    {
        yield return Values([6, 7, 9], dtype, seed);
        yield return Values([9, 7, 6], dtype, seed + 1).Transpose(0, 2);
        yield return Values([6, 16, 9], dtype, seed + 2).Slice(1, 1, 15, 2);
    }

    static double Tolerance(DType dtype) => dtype switch
    {
        DType.Float32 => 1e-5,
        DType.Float16 => 2e-3,
        DType.BFloat16 => 1.6e-2,
        DType.Float64 => 1e-12,
        _ => 0,
    };

    [Fact]
    public void ScanOpCodesMatchTheHeader()
    {
        Assert.Equal(PstScanOp.Sum, CudaOpCodes.Of(ScanOp.Sum));
        Assert.Equal(PstScanOp.Prod, CudaOpCodes.Of(ScanOp.Prod));
        Assert.Equal(PstScanOp.Max, CudaOpCodes.Of(ScanOp.Max));
        Assert.Equal(PstScanOp.Min, CudaOpCodes.Of(ScanOp.Min));
        Assert.Equal(PstScanOp.Logsumexp, CudaOpCodes.Of(ScanOp.LogSumExp));
        Assert.Equal(Enum.GetValues<ScanOp>().Length, Enum.GetValues<PstScanOp>().Length);
    }

    [Theory]
    [Trait("Category", "Cuda")]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    public void ScansMatchTheCpu(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        double tol = Tolerance(dtype);
        foreach (var x in Layouts(dtype, 3))
            for (int dim = -3; dim < 3; dim++)
            {
                var device = OnDevice(x);
                CudaTensorTests.Close(x.Cumsum(dim), device.Cumsum(dim), tol, tol);
                // products of values near 1 in size stay in range over 9 steps
                var small = x.DType.IsFloatingPoint() ? x * 0.5 + 1 : x.Clamp(-2L, 2L);
                CudaTensorTests.Close(small.Cumprod(dim), OnDevice(small.Contiguous()).Cumprod(dim), tol, tol);
                var (values, indices) = x.Cummax(dim);
                // extremes are exact in every dtype
                var (dv, di) = device.Cummax(dim);
                CudaTensorTests.Close(values, dv, 0);
                CudaTensorTests.Close(indices, di, 0);
                (values, indices) = x.Cummin(dim);
                (dv, di) = device.Cummin(dim);
                CudaTensorTests.Close(values, dv, 0);
                CudaTensorTests.Close(indices, di, 0);
                if (dtype.IsFloatingPoint()) CudaTensorTests.Close(x.Logcumsumexp(dim), device.Logcumsumexp(dim), Math.Max(tol, 1e-12), Math.Max(tol, 1e-12));
            }
    }

    [Theory]
    [Trait("Category", "Cuda")]
    [InlineData(1L, 100_000L)]
    [InlineData(5L, 33L)]
    [InlineData(300L, 64L)]
    public void LongContiguousLinesCarryAcrossChunks(long rows, long length)
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.Randn([rows, length], DType.Float64, generator: new Generator(12));
        var device = x.Cuda();
        CudaTensorTests.Close(x.Cumsum(1), device.Cumsum(1), 1e-9, 1e-9);
        CudaTensorTests.Close(x.Logcumsumexp(1), device.Logcumsumexp(1), 1e-12, 1e-12);
        var ints = Torch.Randint(-3, 4, [rows, length], DType.Int64, generator: new Generator(13));
        CudaTensorTests.Close(ints.Cumsum(1), ints.Cuda().Cumsum(1), 0);
        var ties = Torch.Randint(0, 5, [rows, length], DType.Int64, generator: new Generator(14)).To(DType.Float32);
        foreach (bool max in new[] { true, false })
        {
            var (values, indices) = max ? ties.Cummax(1) : ties.Cummin(1);
            var (dv, di) = max ? ties.Cuda().Cummax(1) : ties.Cuda().Cummin(1);
            CudaTensorTests.Close(values, dv, 0);
            CudaTensorTests.Close(indices, di, 0);
        }
    }

    [Fact]
    [Trait("Category", "Cuda")]
    public void ScansPropagateNaNAndTakeTheLastTie()
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.NewTensor(new[] { 1.0, 3, 2, 3, double.NaN, 7, double.NaN });
        var (values, indices) = x.Cuda().Cummax(0);
        CudaTensorTests.Close(x.Cummax(0).Values, values, 0);
        Assert.Equal([0L, 1, 1, 3, 4, 4, 6], indices.Cpu().ToArray<long>());
        var inf = Torch.NewTensor(new[] { double.NegativeInfinity, double.NegativeInfinity, 0, double.PositiveInfinity });
        CudaTensorTests.Close(inf.Logcumsumexp(0), inf.Cuda().Logcumsumexp(0), 0);
        Assert.Equal(DType.Int64, Torch.Ones([4], DType.Bool).Cuda().Cumsum(0).DType);
        Assert.Equal([1L, 2, 3, 4], Torch.Ones([4], DType.Bool).Cuda().Cumsum(0).Cpu().ToArray<long>());
    }

    [Fact]
    [Trait("Category", "Cuda")]
    public void ScanGradientsMatchTheCpu()
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.NewTensor(new[,] { { 2.0, 0, 3, 4 }, { 1.5, -2, 0, 0 } });
        var upstream = Torch.Randn([2, 4], DType.Float64, generator: new Generator(4));
        foreach (Func<Tensor, Tensor> op in new Func<Tensor, Tensor>[] { t => t.Cumsum(1), t => t.Cumprod(1), t => t.Cummax(0).Values, t => t.Logcumsumexp(1) })
        {
            var cpu = x.Clone().RequiresGrad_();
            (op(cpu) * upstream).Sum().Backward();
            var gpu = x.Cuda().RequiresGrad_();
            (op(gpu) * upstream.Cuda()).Sum().Backward();
            CudaTensorTests.Close(cpu.Grad!, gpu.Grad!, 1e-12, 1e-12);
        }
    }

    [Fact]
    [Trait("Category", "Cuda")]
    public void StructuralOpsMatchTheCpu()
    {
        DeviceBuffer.RequireDevice();
        foreach (var x in Layouts(DType.Float32, 9))
        {
            var d = OnDevice(x);
            CudaTensorTests.Close(x.Flip(0, 2), d.Flip(0, 2), 0);
            CudaTensorTests.Close(x.Roll([2, -3], [1, 2]), d.Roll([2, -3], [1, 2]), 0);
            CudaTensorTests.Close(x.Roll(5), d.Roll(5), 0);
            CudaTensorTests.Close(x.Rot90(1, [1, 2]), d.Rot90(1, [1, 2]), 0);
            CudaTensorTests.Close(x.Tril(1), d.Tril(1), 0);
            CudaTensorTests.Close(x.Triu(-1), d.Triu(-1), 0);
            CudaTensorTests.Close(x.Diagonal(1, 0, 2), d.Diagonal(1, 0, 2), 0);
            CudaTensorTests.Close(x.DiagEmbed(), d.DiagEmbed(), 0);
            CudaTensorTests.Close(x[0].Trace(), d[0].Trace(), 1e-5, 1e-5);
            CudaTensorTests.Close(x.Diff(1, 1), d.Diff(1, 1), 0);
            CudaTensorTests.Close(x.CountNonzero(1), d.CountNonzero(1), 0);
            CudaTensorTests.Close(x.MaskedSelect(x > 0), d.MaskedSelect(d > 0), 0);
            CudaTensorTests.Close(Torch.Einsum("bij,bkj->bik", x, x), Torch.Einsum("bij,bkj->bik", d, d), 1e-4, 1e-4);
            CudaTensorTests.Close(Torch.Tensordot(x, x, [1, 2], [1, 2]), Torch.Tensordot(d, d, [1, 2], [1, 2]), 1e-4, 1e-4);
            CudaTensorTests.Close(x[.., .., ..3].Cross(x[.., .., 3..6], -1), d[.., .., ..3].Cross(d[.., .., 3..6], -1), 1e-6, 1e-6);
            CudaTensorTests.Close(x.Histc(10, -2, 2), d.Histc(10, -2, 2), 0);
        }
        var counts = Torch.Randint(0, 9, [50], DType.Int64, generator: new Generator(2));
        CudaTensorTests.Close(counts.Bincount(minlength: 12), counts.Cuda().Bincount(minlength: 12), 0);
        var v = Torch.Randn([5], DType.Float64, generator: new Generator(3));
        CudaTensorTests.Close(v.Outer(v).Kron(v), v.Cuda().Outer(v.Cuda()).Kron(v.Cuda()), 1e-12);
        CudaTensorTests.Close(v.Dot(v), v.Cuda().Dot(v.Cuda()), 1e-12);
    }
}
