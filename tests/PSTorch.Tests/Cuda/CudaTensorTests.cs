using PSTorch.Ops;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// The tensor engine on a CUDA device against the CPU backend on the same random inputs: contiguous, transposed,
/// sliced, broadcast, empty and odd-sized operands. Tolerances (relative, plus a small absolute term) per dtype:
/// exact ops (arithmetic on integers, copies, casts, comparisons, max/min, random fills, arange) must be equal;
/// float64 1e-12; float32 1e-6 for single roundings, 1e-5 for transcendental functions, reductions and softmax
/// (a different summation order), 1e-4 for matmul (TF32 stays off); float16 1e-3 and bfloat16 1e-2 (one rounding
/// of a float32 result, whose last bit may differ), 4e-3 and 2.5e-2 for their transcendental functions (the CPU
/// rounds to the half type between steps). Skipped where no device or library is present.
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaTensorTests
{
    static readonly Device Gpu = Device.Parse("cuda:0");

    static void RequireCuda() => DeviceBuffer.RequireDevice();

    static Tensor Random(long[] shape, int seed, DType dtype = DType.Float32) =>
        Torch.Randn(shape, generator: new Generator(seed)).To(dtype);

    static double Tolerance(DType dtype, bool transcendental = false) => dtype switch
    {
        DType.Float64 => 1e-12,
        DType.Float32 => transcendental ? 1e-5 : 1e-6,
        // the CPU computes some half-precision functions in the half type itself (several roundings)
        DType.Float16 => transcendental ? 4e-3 : 1e-3,
        DType.BFloat16 => transcendental ? 2.5e-2 : 1e-2,
        _ => 0,
    };

    /// <summary>actual (any device) equals expected (CPU) in shape and dtype, elementwise within rtol (NaN matches NaN).</summary>
    internal static void Close(Tensor expected, Tensor actual, double rtol, double atol = 0)
    {
        Assert.Equal(expected.ShapeRef, actual.ShapeRef);
        Assert.Equal(expected.DType, actual.DType);
        var e = expected.To(DType.Float64).Contiguous().ToArray<double>();
        var a = actual.Cpu().To(DType.Float64).Contiguous().ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= atol + rtol * Math.Abs(e[i]) || (double.IsNaN(e[i]) && double.IsNaN(a[i])) || e[i] == a[i],
                $"element {i}: expected {e[i]}, got {a[i]} (rtol {rtol}, atol {atol})");
    }

    /// <summary>
    /// The same view on the device: the CPU tensor's whole storage copied over and viewed with its sizes, strides and
    /// offset, so kernels see transposed, sliced and broadcast operands (To() would make them contiguous).
    /// </summary>
    internal static Tensor OnDevice(Tensor cpu)
    {
        var whole = cpu.AsStridedView([cpu.UntypedStorage.ByteLength / cpu.ElementSize()], [1], 0);
        return whole.Cuda().AsStridedView(cpu.Shape, cpu.Stride(), cpu.StorageOffset);
    }

    /// <summary>Operand layouts of one [rows, cols] shape: contiguous, transposed, a slice with a row stride, and broadcast rows.</summary>
    static IEnumerable<(string name, Tensor cpu)> Layouts(int seed, DType dtype)
    {
        yield return ("contiguous", Random([37, 53], seed, dtype));
        yield return ("transposed", Random([53, 37], seed + 1, dtype).T());
        yield return ("sliced", Random([37, 107], seed + 2, dtype).Slice(1, 1, 107, 2));
        yield return ("broadcast", Random([1, 53], seed + 3, dtype).Expand(37, 53));
        yield return ("empty", Random([0, 53], seed + 4, dtype));
        yield return ("scalar-broadcast", Random([1, 1], seed + 5, dtype).Expand(37, 53));
    }

    [Theory]
    [InlineData(UnaryOp.Neg, DType.Float32)]
    [InlineData(UnaryOp.Abs, DType.Float64)]
    [InlineData(UnaryOp.Relu, DType.Float16)]
    [InlineData(UnaryOp.Sign, DType.BFloat16)]
    [InlineData(UnaryOp.Exp, DType.Float32)]
    [InlineData(UnaryOp.Log, DType.Float64)]
    [InlineData(UnaryOp.Sqrt, DType.Float32)]
    [InlineData(UnaryOp.Rsqrt, DType.Float32)]
    [InlineData(UnaryOp.Sin, DType.Float32)]
    [InlineData(UnaryOp.Cos, DType.Float64)]
    [InlineData(UnaryOp.Tanh, DType.Float32)]
    [InlineData(UnaryOp.Sigmoid, DType.Float16)]
    [InlineData(UnaryOp.Reciprocal, DType.Float32)]
    [InlineData(UnaryOp.Exp, DType.BFloat16)]
    public void UnaryMatchesCpu(UnaryOp op, DType dtype)
    {
        RequireCuda();
        foreach (var (name, x) in Layouts(10, dtype))
        {
            var expected = Unary.Apply(op, x);
            var actual = Unary.Apply(op, OnDevice(x));
            Assert.True(actual.IsCuda, name);
            Close(expected, actual, Tolerance(dtype, transcendental: op.IsFloatOnly()), dtype == DType.Float64 ? 1e-300 : 1e-7);
        }
    }

    /// <summary>Long contiguous operands take the kernels' vector path; a view one element in is misaligned for it and must still be right.</summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.Float64)]
    public void LongAndMisalignedOperandsMatchCpu(DType dtype)
    {
        RequireCuda();
        var a = Random([(1 << 16) + 7], 15, dtype);
        var b = Random([(1 << 16) + 7], 16, dtype);
        var (ga, gb) = (a.Cuda(), b.Cuda());
        Close(a.Exp(), ga.Exp(), Tolerance(dtype, transcendental: true), 1e-7);
        Close(a + b, ga + gb, Tolerance(dtype), 1e-7);
        Close(a[1..] * b[..^1], ga[1..] * gb[..^1], Tolerance(dtype), 1e-7);
        Close(a[3..].Relu(), ga[3..].Relu(), 0);
        Close(a[1..].To(DType.Float64), ga[1..].To(DType.Float64), 0);
    }

    [Theory]
    [InlineData(UnaryOp.Neg, DType.Int64)]
    [InlineData(UnaryOp.Abs, DType.Int32)]
    [InlineData(UnaryOp.Relu, DType.Int16)]
    [InlineData(UnaryOp.Sign, DType.Int8)]
    [InlineData(UnaryOp.LogicalNot, DType.Bool)]
    public void IntegerUnaryIsExact(UnaryOp op, DType dtype)
    {
        RequireCuda();
        var x = Torch.Randint(-50, 50, [41, 29], generator: new Generator(3)).To(dtype);
        Assert.Equal(Unary.Apply(op, x).ToArray(), Unary.Apply(op, x.Cuda()).ToArray());
        Assert.Equal(Unary.Apply(op, x.T()).ToArray(), Unary.Apply(op, x.Cuda().T()).ToArray());
    }

    [Theory]
    [InlineData(BinaryOp.Add, DType.Float32)]
    [InlineData(BinaryOp.Sub, DType.Float64)]
    [InlineData(BinaryOp.Mul, DType.Float16)]
    [InlineData(BinaryOp.Div, DType.Float32)]
    [InlineData(BinaryOp.Pow, DType.Float64)]
    [InlineData(BinaryOp.Maximum, DType.BFloat16)]
    [InlineData(BinaryOp.Minimum, DType.Float32)]
    public void BinaryMatchesCpuOnEveryLayoutPair(BinaryOp op, DType dtype)
    {
        RequireCuda();
        var layouts = Layouts(20, dtype).ToList();
        foreach (var (nameA, a) in layouts)
            foreach (var (nameB, b) in layouts)
            {
                if (a.Numel() == 0 != (b.Numel() == 0)) continue;
                var expected = Binary.Apply(op, op == BinaryOp.Pow ? a.Abs() : a, b);
                var actual = Binary.Apply(op, op == BinaryOp.Pow ? OnDevice(a).Abs() : OnDevice(a), OnDevice(b));
                Assert.True(actual.IsCuda, $"{nameA} {nameB}");
                Close(expected, actual, Tolerance(dtype, transcendental: op == BinaryOp.Pow), 1e-7);
            }
    }

    [Theory]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.UInt8)]
    [InlineData(DType.Bool)]
    public void IntegerAndBoolBinaryOpsAreExact(DType dtype)
    {
        RequireCuda();
        var a = Torch.Randint(0, 9, [33, 17], generator: new Generator(5)).To(dtype);
        var b = Torch.Randint(1, 9, [17], generator: new Generator(6)).To(dtype);
        BinaryOp[] ops = dtype == DType.Bool
            ? [BinaryOp.Add, BinaryOp.Mul, BinaryOp.Eq, BinaryOp.LogicalXor, BinaryOp.LogicalAnd]
            : [BinaryOp.Add, BinaryOp.Sub, BinaryOp.Mul, BinaryOp.Maximum, BinaryOp.Lt, BinaryOp.Ge, BinaryOp.Ne, BinaryOp.LogicalOr];
        foreach (var op in ops)
        {
            if (dtype == DType.UInt8 && op == BinaryOp.Sub) continue;
            Assert.Equal(Binary.Apply(op, a, b).ToArray(), Binary.Apply(op, a.Cuda(), b.Cuda()).ToArray());
            Assert.Equal(Binary.Apply(op, a.T(), b.Unsqueeze(1)).ToArray(), Binary.Apply(op, a.Cuda().T(), b.Cuda().Unsqueeze(1)).ToArray());
        }
        // integer division promotes to float, as on the CPU
        Close(a / b, a.Cuda() / b.Cuda(), 1e-6);
    }

    [Fact]
    public void PythonNumbersAndCpuScalarsJoinCudaOps()
    {
        RequireCuda();
        var x = Random([5, 7], 30);
        var g = x.Cuda();
        Close(x * 0.5 + 2, g * 0.5 + 2, 1e-6);
        Close(1 - x, 1 - g, 1e-6);
        Close(x.Pow(2), g.Pow(2), 1e-6);
        Assert.Equal(DType.Float32, (g * 0.5).DType);
        var longs = Torch.Arange(10L).Cuda();
        Assert.Equal(DType.Int64, (longs * 3).DType);
        Assert.Equal(new long[] { 0, 3, 6, 9, 12, 15, 18, 21, 24, 27 }, (longs * 3).ToArray<long>());
        // an integer beyond 2^53 does not survive a double: it reaches the device exactly
        Assert.Equal(new long[] { (1L << 60) + 1, (1L << 60) + 2 }, (Torch.Arange(1L, 3L).Cuda() + (1L << 60)).ToArray<long>());
        // a zero-dimensional CPU tensor (not a wrapped number) also joins, with its own dtype category
        var scale = Torch.Scalar(3, DType.Float64);
        var y = g * scale;
        Assert.True(y.IsCuda);
        Assert.Equal(DType.Float32, y.DType);
        Close(x * scale, y, 1e-6);
        Close(x.Clamp(-0.5, 0.5), g.Clamp(-0.5, 0.5), 0);
        Close(Torch.Where(x > 0, x, 0.0), Torch.Where(g > 0, g, 0.0), 0);
        g.Mul_(2).Add_(1);
        Close(x * 2 + 1, g, 1e-6);
    }

    [Fact]
    public void WhereAndClampMatchCpuWithTensorsOfEveryLayout()
    {
        RequireCuda();
        var layouts = Layouts(40, DType.Float64).Where(l => l.cpu.Numel() > 0).ToList();
        foreach (var (_, a) in layouts)
            foreach (var (_, b) in layouts)
            {
                var (ga, gb) = (OnDevice(a), OnDevice(b));
                Close(Torch.Where(a > b, a, b), Torch.Where(ga > gb, ga, gb), 0);
                Close(a.Clamp(b, b + 0.5), ga.Clamp(gb, gb + 0.5), 0);
            }
        var empty = Random([0, 3], 41);
        Close(Torch.Where(empty > 0, empty, empty), Torch.Where((empty > 0).Cuda(), empty.Cuda(), empty.Cuda()), 0);
    }

    [Fact]
    public void CastsBetweenEveryPairOfDTypesMatchCpu()
    {
        RequireCuda();
        // values every dtype holds (a negative float cast to uint8 is undefined in C++), fractions to check truncation
        var values = Torch.NewTensor(new double[] { 0, 0.25, 0.5, 1, 2.5, 3.75, 7, 100, 126.5, 127 });
        foreach (DType from in Enum.GetValues<DType>())
        {
            var source = values.To(from);
            foreach (DType to in Enum.GetValues<DType>())
            {
                var expected = source.To(to);
                var actual = source.Cuda().To(to);
                Assert.Equal(expected.DType, actual.DType);
                Assert.True(expected.ToArray().Cast<object>().SequenceEqual(actual.ToArray().Cast<object>()), $"{from} -> {to}");
                // strided: every other element, cast on the device
                Assert.True(source.Slice(0, 0, 10, 2).To(to).ToArray().Cast<object>()
                    .SequenceEqual(source.Cuda().Slice(0, 0, 10, 2).To(to).ToArray().Cast<object>()), $"{from} -> {to} strided");
            }
        }
    }

    [Fact]
    public void RoundTripKeepsEveryDTypeAndLayout()
    {
        RequireCuda();
        foreach (DType dtype in Enum.GetValues<DType>())
        {
            var x = Torch.Randint(-100, 100, [6, 9], generator: new Generator((int)dtype)).To(dtype);
            var onDevice = x.Cuda();
            Assert.Equal(Gpu, onDevice.Device);
            Assert.Equal(dtype, onDevice.DType);
            Assert.Equal(x.ToArray(), onDevice.Cpu().ToArray());
            Assert.Equal(x.ToArray(), onDevice.ToArray());
            // a non-contiguous source is made contiguous on its own device first
            Assert.Equal(x.T().Contiguous().ToArray(), x.T().Cuda().Cpu().ToArray());
            Assert.Equal(x.T().Contiguous().ToArray(), onDevice.T().Cpu().ToArray());
            Assert.True(onDevice.T().Cpu().IsContiguous());
        }
        var empty = Torch.Zeros([0, 4]).Cuda();
        Assert.Equal(new long[] { 0, 4 }, empty.Shape);
        Assert.Empty(empty.Cpu().ToArray<float>());
        Assert.Same(empty, empty.To(Device.Parse("cuda")));
        Assert.Same(empty, empty.To(new Device(DeviceType.Cuda)));
    }

    [Fact]
    public void CopyBetweenDevicesBroadcastsAndConverts()
    {
        RequireCuda();
        var target = Torch.Zeros([3, 4], DType.Float64, Gpu);
        target.Copy_(Torch.NewTensor(new float[] { 1, 2, 3, 4 }));
        Assert.Equal(Enumerable.Repeat(new double[] { 1, 2, 3, 4 }, 3).SelectMany(r => r).ToArray(), target.ToArray<double>());
        var host = Torch.Zeros([2, 3]);
        host.Copy_(Torch.Ones([3], DType.Int32, Gpu));
        Assert.Equal(Enumerable.Repeat(1f, 6).ToArray(), host.ToArray<float>());
    }

    [Fact]
    public void ItemToArrayAndPrintingReadTheDevice()
    {
        RequireCuda();
        var x = Torch.NewTensor(new double[,] { { 1.5, -2 }, { 3, 4.25 } }, DType.Float64).Cuda();
        Assert.Equal(4.25, (double)x[1, 1].Item());
        Assert.Equal(6.75, x.Sum().Item<double>());
        Assert.Equal(new float[] { 1.5f, -2, 3, 4.25f }, x.Float().ToArray<float>());
        Assert.Equal("tensor([[ 1.5000, -2.0000],\n        [ 3.0000,  4.2500]], device='cuda:0', dtype=torch.float64)", x.ToString());
        var w = Torch.Ones([2], requiresGrad: true).Cuda();
        Assert.Equal("tensor([1., 1.], device='cuda:0', grad_fn=<ToCopyBackward0>)", w.ToString());
        Assert.Equal("tensor([], device='cuda:0', size=(0, 2))", Torch.Zeros([0, 2]).Cuda().ToString());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ReductionsMatchCpu(DType dtype)
    {
        RequireCuda();
        double tol = dtype == DType.Float64 ? 1e-12 : 1e-5;
        // sums of about 2000 elements in another order: an absolute term for results near zero
        double sumAtol = dtype == DType.Float64 ? 1e-10 : 1e-4;
        foreach (var (name, x) in Layouts(50, dtype).Where(l => l.cpu.Numel() > 0).Append(("3-d", Random([4, 33, 5], 51, dtype).Transpose(0, 2))))
        {
            var g = OnDevice(x);
            Close(x.Sum(), g.Sum(), tol, sumAtol);
            Close(x.Sum(0), g.Sum(0), tol, sumAtol);
            Close(x.Sum(-1, keepDim: true), g.Sum(-1, keepDim: true), tol, sumAtol);
            Close(x.Mean([0, 1]), g.Mean([0, 1]), tol, sumAtol);
            Close(x.Prod(1), g.Prod(1), tol, 1e-30);
            Close(x.Max(), g.Max(), 0);
            Close(x.Max(0).Values, g.Max(0).Values, 0);
            Assert.Equal(x.Max(0).Indices.ToArray<long>(), g.Max(0).Indices.ToArray<long>());
            Assert.Equal(x.Min(1, keepDim: true).Indices.ToArray<long>(), g.Min(1, keepDim: true).Indices.ToArray<long>());
            Assert.Equal(x.Argmax().ToArray<long>(), g.Argmax().ToArray<long>());
            Assert.Equal(x.Argmax(1).ToArray<long>(), g.Argmax(1).ToArray<long>());
            Close(x.Var(0), g.Var(0), tol * 10, 1e-6);
            Close(x.Std(), g.Std(), tol * 10, 1e-6);
            Close(x.Norm(), g.Norm(), tol, 1e-6);
            Assert.True(g.Sum(0).IsCuda, name);
        }
    }

    [Fact]
    public void IntegerSumsWidenAndEmptyReductionsGiveTheIdentity()
    {
        RequireCuda();
        var x = Torch.Randint(-1000, 1000, [129, 65], generator: new Generator(8)).To(DType.Int32);
        Assert.Equal(x.Sum(0).ToArray<long>(), x.Cuda().Sum(0).ToArray<long>());
        Assert.Equal(x.Sum().Item(), x.Cuda().Sum().Item());
        var empty = Torch.Zeros([0, 3]).Cuda();
        Assert.Equal(new float[] { 0, 0, 0 }, empty.Sum(0).ToArray<float>());
        Assert.Equal(new float[] { 1, 1, 1 }, empty.Prod(0).ToArray<float>());
        var bools = (Random([40, 3], 9) > 0);
        Assert.Equal(bools.Sum(0).ToArray<long>(), bools.Cuda().Sum(0).ToArray<long>());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float16)]
    public void SoftmaxAndLogSoftmaxMatchCpuForwardAndBackward(DType dtype)
    {
        RequireCuda();
        double tol = dtype == DType.Float64 ? 1e-12 : dtype == DType.Float32 ? 1e-5 : 2e-3;
        foreach (var (_, x0) in Layouts(60, dtype).Where(l => l.cpu.Numel() > 0))
            foreach (int dim in new[] { 0, 1 })
            {
                Close(x0.Softmax(dim), OnDevice(x0).Softmax(dim), tol, 1e-7);
                Close(x0.LogSoftmax(dim), OnDevice(x0).LogSoftmax(dim), tol, 1e-6);
                if (dtype == DType.Float16) continue;
                var x = x0.Detach().RequiresGrad_();
                var g = OnDevice(x0).RequiresGrad_();
                var weights = Random(x0.Shape, 61, dtype);
                (x.LogSoftmax(dim) * weights).Sum().Backward();
                (g.LogSoftmax(dim) * weights.Cuda()).Sum().Backward();
                Close(x.Grad!, g.Grad!, tol, 1e-6);
                x.Grad = null; g.Grad = null;
                (x.Softmax(dim) * weights).Sum().Backward();
                (g.Softmax(dim) * weights.Cuda()).Sum().Backward();
                Close(x.Grad!, g.Grad!, tol, 1e-6);
            }
    }

    [Theory]
    [InlineData(DType.Float32, 1e-4)]
    [InlineData(DType.Float64, 1e-12)]
    [InlineData(DType.Float16, 1e-2)]
    public void MatMulsMatchCpuForEveryOperandLayout(DType dtype, double tol)
    {
        RequireCuda();
        var a = Random([19, 33], 70, dtype);
        var b = Random([33, 27], 71, dtype);
        Tensor[] lefts = [a, Random([33, 19], 72, dtype).T(), Random([19, 66], 73, dtype).Slice(1, 0, 66, 2), Random([1, 33], 74, dtype).Expand(19, 33)];
        Tensor[] rights = [b, Random([27, 33], 75, dtype).T(), Random([66, 27], 76, dtype).Slice(0, 0, 66, 2), Random([33, 1], 77, dtype).Expand(33, 27)];
        foreach (var l in lefts)
            foreach (var r in rights)
            {
                var expected = l.To(DType.Float64).Mm(r.To(DType.Float64)).To(dtype);
                Close(expected, OnDevice(l).Mm(OnDevice(r)), tol, tol);
            }
        var bias = Random([27], 78, dtype);
        Close(Torch.Addmm(bias.To(DType.Float64), a.To(DType.Float64), b.To(DType.Float64)).To(dtype), Torch.Addmm(bias.Cuda(), a.Cuda(), b.Cuda()), tol, tol);
        var ba = Random([3, 5, 8], 79, dtype);
        var bb = Random([3, 7, 8], 80, dtype).Transpose(1, 2);
        Close(ba.To(DType.Float64).Bmm(bb.To(DType.Float64)).To(dtype), ba.Cuda().Bmm(OnDevice(bb)), tol, tol);
        // broadcast batch (stride 0) through matmul, a vector, and k = 0
        Close(ba.To(DType.Float64).MatMul(b[..8, ..].To(DType.Float64)).To(dtype), ba.Cuda().MatMul(OnDevice(b[..8, ..])), tol, tol);
        Close(a.To(DType.Float64).MatMul(b[.., 0].To(DType.Float64)).To(dtype), a.Cuda().MatMul(OnDevice(b[.., 0])), tol, tol);
        Assert.Equal(new float[6], Torch.Zeros([2, 0], device: Gpu).Mm(Torch.Zeros([0, 3], device: Gpu)).ToArray<float>());
    }

    [Fact]
    public void Tf32IsOffByDefaultAndOnlyRoundsWhenAllowed()
    {
        RequireCuda();
        Assert.False(Torch.Cuda.AllowTF32);
        var a = Random([256, 256], 81, DType.Float32);
        var b = Random([256, 256], 82, DType.Float32);
        var exact = a.To(DType.Float64).Mm(b.To(DType.Float64));
        var strict = a.Cuda().Mm(b.Cuda()).Cpu().To(DType.Float64);
        Torch.Cuda.AllowTF32 = true;
        try
        {
            Assert.True(Torch.Cuda.AllowTF32);
            var tf32 = a.Cuda().Mm(b.Cuda()).Cpu().To(DType.Float64);
            // TF32 keeps 10 mantissa bits: its error is orders of magnitude above float32's, and still bounded
            double strictError = (strict - exact).Abs().Max().Item<double>(), tf32Error = (tf32 - exact).Abs().Max().Item<double>();
            Assert.True(strictError < 1e-3, $"float32 error {strictError}");
            Assert.True(tf32Error < 0.5, $"TF32 error {tf32Error}");
        }
        finally
        {
            Torch.Cuda.AllowTF32 = false;
        }
    }

    [Fact]
    public void IntegerMatMulIsRefused()
    {
        RequireCuda();
        var x = Torch.Ones([2, 2], DType.Int64, Gpu);
        var e = Assert.Throws<NotSupportedException>(() => x.Mm(x));
        Assert.Contains("not implemented for 'Long'", e.Message);
    }

    [Fact]
    public void RandomFillsGiveTheCpusNumbers()
    {
        RequireCuda();
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Float16, DType.BFloat16 })
        {
            Assert.Equal(Torch.Rand([7, 13], dtype, generator: new Generator(42)).ToArray(), Torch.Rand([7, 13], dtype, Gpu, generator: new Generator(42)).ToArray());
            // normals go through cos/sin/log, which may differ in the last bit between CUDA's and .NET's libraries
            Close(Torch.Randn([7, 13], dtype, generator: new Generator(43)), Torch.Randn([7, 13], dtype, Gpu, generator: new Generator(43)), Tolerance(dtype), 1e-7);
        }
        Assert.Equal(Torch.Randint(-5, 1000, [101], generator: new Generator(44)).ToArray<long>(),
            Torch.Randint(-5, 1000, [101], device: Gpu, generator: new Generator(44)).ToArray<long>());
        Assert.Equal(Torch.Randint(-5, 1000, [3, 33], DType.Int32, generator: new Generator(46)).ToArray<int>(),
            Torch.Randint(-5, 1000, [3, 33], DType.Int32, Gpu, generator: new Generator(46)).ToArray<int>());
        // the generator advances the same way on both devices: a second draw agrees too
        var cpuGen = new Generator(45);
        var gpuGen = new Generator(45);
        Torch.Rand([5], generator: cpuGen);
        Torch.Rand([5], device: Gpu, generator: gpuGen);
        Assert.Equal(Torch.Rand([9], generator: cpuGen).ToArray<float>(), Torch.Rand([9], device: Gpu, generator: gpuGen).ToArray<float>());
    }

    [Fact]
    public void ArangeAndLinspaceMatchCpu()
    {
        RequireCuda();
        Assert.Equal(Torch.Arange(-7L, 1000L, 3).ToArray<long>(), Torch.Arange(-7L, 1000L, 3, device: Gpu).ToArray<long>());
        Assert.Equal(Torch.Arange(0.1, 7.3, 0.7).ToArray<float>(), Torch.Arange(0.1, 7.3, 0.7, device: Gpu).ToArray<float>());
        Assert.Equal(Torch.Arange(0.0, 2.0, 0.1, DType.Float64).ToArray<double>(), Torch.Arange(0.0, 2.0, 0.1, DType.Float64, Gpu).ToArray<double>());
        Assert.Equal(Torch.Linspace(-1, 3, 1001, DType.Float64).ToArray<double>(), Torch.Linspace(-1, 3, 1001, DType.Float64, Gpu).ToArray<double>());
        Assert.Equal(Torch.Linspace(0, 1, 10).ToArray<float>(), Torch.Linspace(0, 1, 10, device: Gpu).ToArray<float>());
        Assert.Equal(Torch.Linspace(2, 5, 1).ToArray<float>(), Torch.Linspace(2, 5, 1, device: Gpu).ToArray<float>());
    }

    /// <summary>A two-layer MLP (linear, relu, linear, log_softmax, mean): every gradient on the device equals the CPU's.</summary>
    [Fact]
    public void MlpGradientsOnCudaEqualTheCpus()
    {
        RequireCuda();
        var input = Random([16, 20], 90);
        var weights = new[] { Random([32, 20], 91) * 0.2, Random([32], 92), Random([10, 32], 93) * 0.2, Random([10], 94) };
        Tensor Forward(Tensor x, Tensor[] p) =>
            Torch.Addmm(p[3], Torch.Addmm(p[1], x, p[0].T()).Relu(), p[2].T()).LogSoftmax(1).Mean() * -1;
        var cpu = weights.Select(w => w.Clone().RequiresGrad_()).ToArray();
        var gpu = weights.Select(w => w.Cuda().RequiresGrad_()).ToArray();
        var cpuLoss = Forward(input, cpu);
        var gpuLoss = Forward(input.Cuda(), gpu);
        Assert.True(gpuLoss.IsCuda);
        Close(cpuLoss, gpuLoss, 1e-5);
        cpuLoss.Backward();
        gpuLoss.Backward();
        for (int i = 0; i < cpu.Length; i++)
        {
            Assert.True(gpu[i].Grad!.IsCuda);
            Close(cpu[i].Grad!, gpu[i].Grad!, 1e-4, 1e-6);
        }
    }

    [Fact]
    public void GradientsFlowBackAcrossDevices()
    {
        RequireCuda();
        var x = Torch.NewTensor(new float[] { 1, 2, 3 }).RequiresGrad_();
        var y = (x.Cuda() * x.Cuda()).Sum();
        Assert.Equal("SumBackward0", y.GradFn!.Name);
        y.Backward();
        Assert.Equal(Device.Cpu, x.Grad!.Device);
        Assert.Equal(new float[] { 2, 4, 6 }, x.Grad.ToArray<float>());
        var w = Torch.Ones([2], device: Gpu, requiresGrad: true);
        (w.Cpu() * 3).Sum().Backward();
        Assert.Equal(Gpu, w.Grad!.Device);
        Assert.Equal(new float[] { 3, 3 }, w.Grad.ToArray<float>());
    }

    [Fact]
    public void MixingDevicesGivesPyTorchsMessage()
    {
        RequireCuda();
        var e = Assert.Throws<InvalidOperationException>(() => Torch.Ones([3], device: Gpu) + Torch.Ones([3]));
        Assert.Equal("Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!", e.Message);
        var m = Assert.Throws<InvalidOperationException>(() => Torch.Ones([2, 2]).Mm(Torch.Ones([2, 2], device: Gpu)));
        Assert.Equal("Expected all tensors to be on the same device, but found at least two devices, cpu and cuda:0!", m.Message);
    }

    [Fact]
    public void ModulesMoveToTheDevice()
    {
        RequireCuda();
        var layer = new PSTorch.NN.Linear(4, 3);
        layer.To(Gpu);
        Assert.True(layer.Weight.IsCuda);
        var y = layer.Call(Torch.Ones([2, 4], device: Gpu));
        Assert.Equal(Gpu, y.Device);
        y.Sum().Backward();
        Assert.Equal(Gpu, layer.Weight.Grad!.Device);
    }
}
