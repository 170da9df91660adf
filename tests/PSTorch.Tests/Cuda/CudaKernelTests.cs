using PSTorch.Backends;
using PSTorch.Cuda.Bindings;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// Each kernel family of libpstorch_cuda against the CPU backend on random inputs: contiguous, strided
/// (transposed) and broadcast (stride 0) operands. float32 tolerances: 1e-6 relative for exact ops
/// (add, max, copy, cast), 1e-5 for transcendental ones and reductions, 1e-4 for matmul (k up to 64).
/// </summary>
[Trait("Category", "Cuda")]
public sealed unsafe class CudaKernelTests
{
    static Tensor Random(long[] shape, int seed) => Torch.Randn(shape, generator: new Generator(seed));

    static void Close(Tensor expected, Tensor actual, double rtol, double atol = 1e-6)
    {
        Assert.Equal(expected.ShapeRef.ToArray(), actual.ShapeRef.ToArray());
        var e = expected.To(DType.Float64).Contiguous().ToArray<double>();
        var a = actual.To(DType.Float64).Contiguous().ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= atol + rtol * Math.Abs(e[i]) || (double.IsNaN(e[i]) && double.IsNaN(a[i])),
                $"element {i}: expected {e[i]}, got {a[i]}");
    }

    [Theory]
    [InlineData((int)PstBinaryOp.Add)]
    [InlineData((int)PstBinaryOp.Mul)]
    [InlineData((int)PstBinaryOp.Div)]
    [InlineData((int)PstBinaryOp.Maximum)]
    public void BinaryMatchesCpuOnContiguousStridedAndBroadcastOperands(int code)
    {
        var op = (PstBinaryOp)code;
        DeviceBuffer.RequireDevice();
        var a = Random([37, 53], 1);
        var b = Random([53, 37], 2);   // used transposed: a strided operand
        var row = Random([1, 53], 3);  // broadcast along dim 0
        Func<Tensor, Tensor, Tensor> reference = op switch
        {
            PstBinaryOp.Add => (x, y) => x + y,
            PstBinaryOp.Mul => (x, y) => x * y,
            PstBinaryOp.Div => (x, y) => x / y,
            _ => Torch.Maximum,
        };
        using var da = DeviceBuffer.Upload(a);
        using var db = DeviceBuffer.Upload(b);
        using var dr = DeviceBuffer.Upload(row);
        using var dst = DeviceBuffer.Allocate(37 * 53, DType.Float32);
        var output = dst.View(DType.Float32, [37, 53]);
        var contiguous = da.View(DType.Float32, [37, 53]);
        var transposed = db.View(DType.Float32, [37, 53], [1, 37]);
        var broadcast = dr.View(DType.Float32, [37, 53], [0, 1]);

        DeviceBuffer.Check(PstorchCuda.Binary(op, &output, &contiguous, &contiguous, null));
        Close(reference(a, a), dst.Download([37, 53], DType.Float32), 1e-6);
        DeviceBuffer.Check(PstorchCuda.Binary(op, &output, &contiguous, &transposed, null));
        Close(reference(a, b.T()), dst.Download([37, 53], DType.Float32), 1e-6);
        DeviceBuffer.Check(PstorchCuda.Binary(op, &output, &transposed, &broadcast, null));
        Close(reference(b.T(), row), dst.Download([37, 53], DType.Float32), 1e-6);
    }

    [Fact]
    public void ComparisonsWriteBool()
    {
        DeviceBuffer.RequireDevice();
        var a = Random([1000], 4);
        var b = Random([1000], 5);
        using var da = DeviceBuffer.Upload(a);
        using var db = DeviceBuffer.Upload(b);
        using var dst = DeviceBuffer.Allocate(1000, DType.Bool);
        var (va, vb, vo) = (da.View(DType.Float32, [1000]), db.View(DType.Float32, [1000]), dst.View(DType.Bool, [1000]));
        DeviceBuffer.Check(PstorchCuda.Binary(PstBinaryOp.Lt, &vo, &va, &vb, null));
        Assert.Equal((a < b).ToArray<bool>(), dst.Download([1000], DType.Bool).ToArray<bool>());
    }

    [Theory]
    [InlineData((int)PstUnaryOp.Exp)]
    [InlineData((int)PstUnaryOp.Tanh)]
    [InlineData((int)PstUnaryOp.Sigmoid)]
    [InlineData((int)PstUnaryOp.Abs)]
    public void UnaryMatchesCpuOnVectorisedAndStridedPaths(int code)
    {
        var op = (PstUnaryOp)code;
        DeviceBuffer.RequireDevice();
        var x = Random([129, 67], 6); // 8643 elements: a float4 body and a scalar tail
        Func<Tensor, Tensor> reference = op switch
        {
            PstUnaryOp.Exp => t => t.Exp(),
            PstUnaryOp.Tanh => t => t.Tanh(),
            PstUnaryOp.Sigmoid => t => t.Sigmoid(),
            _ => t => t.Abs(),
        };
        using var dx = DeviceBuffer.Upload(x);
        using var dst = DeviceBuffer.Allocate(x.Numel(), DType.Float32);
        var (vx, vo) = (dx.View(DType.Float32, [129, 67]), dst.View(DType.Float32, [129, 67]));
        DeviceBuffer.Check(PstorchCuda.Unary(op, &vo, &vx, null));
        Close(reference(x), dst.Download([129, 67], DType.Float32), 1e-5);
        var transposed = dx.View(DType.Float32, [67, 129], [1, 67]);
        var output = dst.View(DType.Float32, [67, 129]);
        DeviceBuffer.Check(PstorchCuda.Unary(op, &output, &transposed, null));
        Close(reference(x.T()), dst.Download([67, 129], DType.Float32), 1e-5);
    }

    [Fact]
    public void CastBetweenEveryPairOfDTypesMatchesCpu()
    {
        DeviceBuffer.RequireDevice();
        var values = Torch.Arange(0, 24).To(DType.Float32).Reshape(4, 6) - 8; // small integers, negative and positive
        foreach (var from in Enum.GetValues<DType>())
            foreach (var to in Enum.GetValues<DType>())
            {
                if (from == DType.Bool || from == DType.UInt8) continue; // negative values do not fit; covered by the others' targets
                var source = values.To(from);
                using var ds = DeviceBuffer.Upload(source);
                using var dd = DeviceBuffer.Allocate(24, to);
                var vs = ds.View(from, [6, 4], [1, 6]); // a strided source
                var vd = dd.View(to, [6, 4]);
                DeviceBuffer.Check(PstorchCuda.Copy(&vd, &vs, null));
                Close(source.T().To(to), dd.Download([6, 4], to), 0, 0);
            }
    }

    [Theory]
    [InlineData((int)PstReduceOp.Sum, 0b01)]
    [InlineData((int)PstReduceOp.Sum, 0b10)]
    [InlineData((int)PstReduceOp.Sum, 0b11)]
    [InlineData((int)PstReduceOp.Mean, 0b10)]
    [InlineData((int)PstReduceOp.Max, 0b01)]
    [InlineData((int)PstReduceOp.Argmax, 0b10)]
    public void ReductionsMatchCpu(int code, uint mask)
    {
        var op = (PstReduceOp)code;
        DeviceBuffer.RequireDevice();
        var x = Random([300, 5001], 7);
        long[] shape = [(mask & 1) != 0 ? 1 : 300, (mask & 2) != 0 ? 1 : 5001];
        int[] dims = Enumerable.Range(0, 2).Where(d => (mask & (1u << d)) != 0).ToArray();
        var dtype = op == PstReduceOp.Argmax ? DType.Int64 : DType.Float32;
        Tensor expected = op switch
        {
            PstReduceOp.Sum => x.Sum(dims, keepDim: true),
            PstReduceOp.Mean => x.Mean(dims, keepDim: true),
            PstReduceOp.Max => x.Amax(dims, keepDim: true),
            _ => x.Argmax(dims[0], keepDim: true),
        };
        using var dx = DeviceBuffer.Upload(x);
        using var dst = DeviceBuffer.Allocate(shape[0] * shape[1], dtype);
        var (vx, vo) = (dx.View(DType.Float32, [300, 5001]), dst.View(dtype, shape));
        DeviceBuffer.Check(PstorchCuda.Reduce(op, &vo, &vx, mask, null));
        Close(expected, dst.Download(shape, dtype), 1e-5, 1e-4);
    }

    [Theory]
    [InlineData(1, 0, 10)]
    [InlineData(1, 1, 1000)]
    [InlineData(0, 0, 3000)]
    [InlineData(1, 0, 3000)]
    public void SoftmaxMatchesCpu(int dim, int log, int length)
    {
        DeviceBuffer.RequireDevice();
        long[] shape = dim == 1 ? [64, length] : [length, 64];
        var x = Random(shape, 8) * 4;
        using var dx = DeviceBuffer.Upload(x);
        using var dst = DeviceBuffer.Allocate(x.Numel(), DType.Float32);
        var (vx, vo) = (dx.View(DType.Float32, shape), dst.View(DType.Float32, shape));
        DeviceBuffer.Check(PstorchCuda.Softmax(&vo, &vx, dim, log, null));
        Close(log != 0 ? x.LogSoftmax(dim) : x.Softmax(dim), dst.Download(shape, DType.Float32), 1e-5, 1e-6);
    }

    [Fact]
    public void BatchedMatmulMatchesCpu()
    {
        DeviceBuffer.RequireDevice();
        var a = Random([3, 33, 64], 9);
        var b = Random([3, 64, 29], 10);
        using var da = DeviceBuffer.Upload(a);
        using var db = DeviceBuffer.Upload(b);
        using var dc = DeviceBuffer.Allocate(3 * 33 * 29, DType.Float32);
        DeviceBuffer.Check(PstorchCuda.GemmStridedBatched(PstDtype.Float32, 0, 0, 33, 29, 64, 1.0, da.Pointer, 64, 33 * 64, db.Pointer, 29, 64 * 29,
            0.0, dc.Pointer, 29, 33 * 29, 3, null));
        Close(a.MatMul(b), dc.Download([3, 33, 29], DType.Float32), 1e-4, 1e-4);
    }

    [Theory]
    [InlineData(DType.Float32, false)]
    [InlineData(DType.Float64, false)]
    [InlineData(DType.Float32, true)]
    [InlineData(DType.Float64, true)]
    public void PhiloxFillsMatchTheCpuGenerator(DType dtype, bool normal)
    {
        DeviceBuffer.RequireDevice();
        var state = new PhiloxState(0x1234_5678_9ABCUL, 77);
        var expected = Tensor.Empty([1001], dtype, Device.Cpu);
        if (normal) Backend.For(Device.Cpu).FillNormal(expected, 0.5, 2.0, state);
        else Backend.For(Device.Cpu).FillUniform(expected, -1.0, 3.0, state);
        using var dst = DeviceBuffer.Allocate(1001, dtype);
        var view = dst.View(dtype, [1001]);
        DeviceBuffer.Check(normal
            ? PstorchCuda.FillNormal(&view, 0.5, 2.0, state.Seed, state.Offset, null)
            : PstorchCuda.FillUniform(&view, -1.0, 3.0, state.Seed, state.Offset, null));
        Close(expected, dst.Download([1001], dtype), normal ? 1e-6 : 0, normal ? 1e-6 : 0);
    }

    [Fact]
    public void RandintMatchesTheCpuGenerator()
    {
        DeviceBuffer.RequireDevice();
        var state = new PhiloxState(42, 5);
        var expected = Tensor.Empty([999], DType.Int64, Device.Cpu);
        Backend.For(Device.Cpu).FillRandint(expected, -7, 1000, state);
        using var dst = DeviceBuffer.Allocate(999, DType.Int64);
        var view = dst.View(DType.Int64, [999]);
        DeviceBuffer.Check(PstorchCuda.FillRandint(&view, -7, 1000, state.Seed, state.Offset, null));
        Assert.Equal(expected.ToArray<long>(), dst.Download([999], DType.Int64).ToArray<long>());
    }

    [Fact]
    public void MemoryStatisticsFollowAllocations()
    {
        DeviceBuffer.RequireDevice();
        PstMemoryStats before, during, after;
        DeviceBuffer.Check(PstorchCuda.MemoryStatsGet(0, &before));
        using (DeviceBuffer.Allocate(1 << 20, DType.Float32))
        {
            DeviceBuffer.Check(PstorchCuda.MemoryStatsGet(0, &during));
            Assert.Equal(before.AllocatedBytes + (4 << 20), during.AllocatedBytes);
            Assert.True(during.ReservedBytes >= during.AllocatedBytes);
        }
        DeviceBuffer.Check(PstorchCuda.MemoryStatsGet(0, &after));
        Assert.Equal(before.AllocatedBytes, after.AllocatedBytes);
        Assert.True(after.MaxAllocatedBytes >= before.AllocatedBytes + (4 << 20));
        DeviceBuffer.Check(PstorchCuda.EmptyCache(0));
    }
}
