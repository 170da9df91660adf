using PSTorch.Backends;
using PSTorch.Backends.Cpu;
using PSTorch.Cuda.Bindings;
using PSTorch.NN;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// The nn training kernels of libpstorch_cuda (activations, pooling, im2col/col2im, losses, normalisation, fused
/// optimizer steps, dropout) against the CPU backend or the CPU autograd on random inputs of odd sizes.
/// Tolerances (relative, plus a small absolute floor): float64 1e-12 for elementwise and gathering kernels, 1e-10
/// for reductions; float32 1e-6 for exact gathers, 1e-5 for transcendental functions and reductions, 1e-4 for
/// results through a GEMM. Exact equality where the kernel must reproduce the CPU bit for bit (indices, masks).
/// </summary>
[Trait("Category", "Cuda")]
public sealed unsafe class CudaNNKernelTests
{
    static readonly CpuBackend Cpu = new();

    static Tensor Random(long[] shape, DType dtype, int seed) => Torch.Randn(shape, dtype, generator: new Generator(seed));

    static PstDtype Code(DType dtype) => (PstDtype)(int)dtype;

    static (double Rtol, double Atol) Tolerance(DType dtype, double float32Rtol) =>
        dtype == DType.Float64 ? (1e-10, 1e-12) : (float32Rtol, float32Rtol / 10);

    static void Close(Tensor expected, Tensor actual, double rtol, double atol)
    {
        Assert.Equal(expected.ShapeRef.ToArray(), actual.ShapeRef.ToArray());
        var e = expected.To(DType.Float64).Contiguous().ToArray<double>();
        var a = actual.To(DType.Float64).Contiguous().ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= atol + rtol * Math.Abs(e[i]) || (double.IsNaN(e[i]) && double.IsNaN(a[i])),
                $"element {i}: expected {e[i]}, got {a[i]}");
    }

    static void Close(Tensor expected, Tensor actual, (double Rtol, double Atol) tolerance) => Close(expected, actual, tolerance.Rtol, tolerance.Atol);

    static Tensor Download(DeviceBuffer buffer, Tensor like) => buffer.Download(like.ShapeRef.ToArray(), like.DType);

    // ---- activations ----

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ReluBackwardSelectsTheGradientWhereTheOutputIsPositive(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var output = Random([1001], dtype, 1).Relu();
        var gradOutput = Random([1001], dtype, 2);
        var expected = Torch.EmptyLike(gradOutput);
        Cpu.ReluBackward(expected, gradOutput, output);
        using var dy = DeviceBuffer.Upload(output);
        using var dg = DeviceBuffer.Upload(gradOutput);
        using var dx = DeviceBuffer.Allocate(1001, dtype);
        DeviceBuffer.Check(PstorchCuda.ReluBackward(Code(dtype), dx.Pointer, dg.Pointer, dy.Pointer, 1001, null));
        Close(expected, Download(dx, expected), 0, 0);
    }

    [Theory]
    [InlineData(DType.Float32, false)]
    [InlineData(DType.Float32, true)]
    [InlineData(DType.Float64, false)]
    [InlineData(DType.Float64, true)]
    public void GeluForwardAndBackwardMatchCpu(DType dtype, bool tanh)
    {
        DeviceBuffer.RequireDevice();
        var x = Random([777], dtype, 3) * 3;
        var gy = Random([777], dtype, 4);
        var y = Torch.EmptyLike(x);
        var gx = Torch.EmptyLike(x);
        Cpu.Gelu(y, x, tanh);
        Cpu.GeluBackward(gx, gy, x, tanh);
        using var dx = DeviceBuffer.Upload(x);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dy = DeviceBuffer.Allocate(777, dtype);
        using var dgx = DeviceBuffer.Allocate(777, dtype);
        DeviceBuffer.Check(PstorchCuda.Gelu(Code(dtype), dy.Pointer, dx.Pointer, 777, tanh ? 1 : 0, null));
        DeviceBuffer.Check(PstorchCuda.GeluBackward(Code(dtype), dgx.Pointer, dgy.Pointer, dx.Pointer, 777, tanh ? 1 : 0, null));
        var tolerance = dtype == DType.Float64 ? (1e-12, 1e-14) : (1e-5, 1e-6);
        Close(y, Download(dy, y), tolerance);
        Close(gx, Download(dgx, gx), tolerance);
    }

    // ---- pooling ----

    static Pool2dGeometry Pool(long planes, int h, int w, int k, int s, int p, int d)
    {
        int Out(int size) => (size + 2 * p - d * (k - 1) - 1) / s + 1;
        return new Pool2dGeometry(planes, h, w, Out(h), Out(w), k, k, s, s, p, p, d, d);
    }

    static PstPool2dGeometry Native(in Pool2dGeometry g) => new()
    {
        Planes = g.Planes, InHeight = g.InHeight, InWidth = g.InWidth, OutHeight = g.OutHeight, OutWidth = g.OutWidth,
        KernelHeight = g.KernelHeight, KernelWidth = g.KernelWidth, StrideHeight = g.StrideHeight, StrideWidth = g.StrideWidth,
        PaddingHeight = g.PaddingHeight, PaddingWidth = g.PaddingWidth, DilationHeight = g.DilationHeight, DilationWidth = g.DilationWidth,
    };

    [Theory]
    [InlineData(DType.Float32, 3, 2, 1, 1)] // overlapping windows with padding
    [InlineData(DType.Float32, 2, 2, 0, 1)]
    [InlineData(DType.Float64, 3, 1, 1, 2)] // dilated, stride 1: every input in several windows
    public void MaxPool2dForwardAndBackwardMatchCpu(DType dtype, int k, int s, int p, int d)
    {
        DeviceBuffer.RequireDevice();
        var g = Pool(6, 11, 13, k, s, p, d);
        var x = Random([6, 11, 13], dtype, 5);
        x[0, 0, 0] = Torch.Full([], double.NaN, dtype); // a NaN wins its windows, as PyTorch's rule
        var y = Torch.Empty([6, g.OutHeight, g.OutWidth], dtype);
        var indices = Torch.Empty([6, g.OutHeight, g.OutWidth], DType.Int64);
        Cpu.MaxPool2d(y, indices, x, g);
        var gy = Random([6, g.OutHeight, g.OutWidth], dtype, 6);
        var gx = Torch.EmptyLike(x);
        Cpu.MaxPool2dBackward(gx, gy, indices, g);

        var native = Native(g);
        using var dx = DeviceBuffer.Upload(x);
        using var dy = DeviceBuffer.Allocate(y.Numel(), dtype);
        using var di = DeviceBuffer.Allocate(y.Numel(), DType.Int64);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dgx = DeviceBuffer.Allocate(x.Numel(), dtype);
        DeviceBuffer.Check(PstorchCuda.MaxPool2d(Code(dtype), dy.Pointer, (long*)di.Pointer, dx.Pointer, &native, null));
        DeviceBuffer.Check(PstorchCuda.MaxPool2dBackward(Code(dtype), dgx.Pointer, dgy.Pointer, (long*)di.Pointer, &native, null));
        Close(y, Download(dy, y), 0, 0);
        Assert.Equal(indices.ToArray<long>(), Download(di, indices).ToArray<long>());
        // the gather adds each input's gradients in the CPU's (row-major output) order
        Close(gx, Download(dgx, gx), 1e-6, 1e-7);
    }

    [Theory]
    [InlineData(DType.Float32, true, 0L)]
    [InlineData(DType.Float32, false, 0L)]
    [InlineData(DType.Float64, true, 5L)]
    public void AvgPool2dForwardAndBackwardMatchCpu(DType dtype, bool countIncludePad, long divisorOverride)
    {
        DeviceBuffer.RequireDevice();
        var g = Pool(5, 10, 9, 3, 2, 1, 1);
        var x = Random([5, 10, 9], dtype, 7);
        var y = Torch.Empty([5, g.OutHeight, g.OutWidth], dtype);
        Cpu.AvgPool2d(y, x, g, countIncludePad, divisorOverride);
        var gy = Random([5, g.OutHeight, g.OutWidth], dtype, 8);
        var gx = Torch.EmptyLike(x);
        Cpu.AvgPool2dBackward(gx, gy, g, countIncludePad, divisorOverride);

        var native = Native(g);
        using var dx = DeviceBuffer.Upload(x);
        using var dy = DeviceBuffer.Allocate(y.Numel(), dtype);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dgx = DeviceBuffer.Allocate(x.Numel(), dtype);
        DeviceBuffer.Check(PstorchCuda.AvgPool2d(Code(dtype), dy.Pointer, dx.Pointer, &native, countIncludePad ? 1 : 0, divisorOverride, null));
        DeviceBuffer.Check(PstorchCuda.AvgPool2dBackward(Code(dtype), dgx.Pointer, dgy.Pointer, &native, countIncludePad ? 1 : 0, divisorOverride, null));
        Close(y, Download(dy, y), Tolerance(dtype, 1e-6));
        Close(gx, Download(dgx, gx), Tolerance(dtype, 1e-6));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void AdaptiveAvgPool2dForwardAndBackwardMatchCpu(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        // 7 -> 3 and 9 -> 4: windows of unequal sizes that overlap
        var g = new Pool2dGeometry(4, 7, 9, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0);
        var x = Random([4, 7, 9], dtype, 9);
        var y = Torch.Empty([4, 3, 4], dtype);
        Cpu.AdaptiveAvgPool2d(y, x, g);
        var gy = Random([4, 3, 4], dtype, 10);
        var gx = Torch.EmptyLike(x);
        Cpu.AdaptiveAvgPool2dBackward(gx, gy, g);

        var native = Native(g);
        using var dx = DeviceBuffer.Upload(x);
        using var dy = DeviceBuffer.Allocate(y.Numel(), dtype);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dgx = DeviceBuffer.Allocate(x.Numel(), dtype);
        DeviceBuffer.Check(PstorchCuda.AdaptiveAvgPool2d(Code(dtype), dy.Pointer, dx.Pointer, &native, null));
        DeviceBuffer.Check(PstorchCuda.AdaptiveAvgPool2dBackward(Code(dtype), dgx.Pointer, dgy.Pointer, &native, null));
        Close(y, Download(dy, y), Tolerance(dtype, 1e-6));
        Close(gx, Download(dgx, gx), Tolerance(dtype, 1e-6));
    }

    // ---- convolution by im2col / col2im + GEMM ----

    [Theory]
    [InlineData(DType.Float32, 1, 1, 1, 1)]
    [InlineData(DType.Float32, 2, 2, 1, 2)]  // groups, stride, padding and dilation together
    [InlineData(DType.Float64, 2, 1, 2, 1)]
    public void ConvolutionThroughIm2ColCol2ImAndGemmMatchesCpu(DType dtype, int groups, int stride, int padding, int dilation)
    {
        DeviceBuffer.RequireDevice();
        int n = 3, cin = 4, cout = 6, h = 9, w = 11, k = 3;
        int outH = (h + 2 * padding - dilation * (k - 1) - 1) / stride + 1, outW = (w + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
        var g = new Conv2dGeometry(n, cin, h, w, cout, outH, outW, k, k, stride, stride, padding, padding, dilation, dilation, groups);
        var x = Random([n, cin, h, w], dtype, 11);
        var weight = Random([cout, cin / groups, k, k], dtype, 12);
        var gy = Random([n, cout, outH, outW], dtype, 13);
        var y = Torch.Empty([n, cout, outH, outW], dtype);
        var gx = Torch.Empty([n, cin, h, w], dtype);
        var gw = Torch.Empty([cout, cin / groups, k, k], dtype);
        Cpu.Conv2d(y, x, weight, null, g);
        Cpu.Conv2dBackwardInput(gx, gy, weight, g);
        Cpu.Conv2dBackwardWeight(gw, null, gy, x, g);

        int esize = dtype.ElementSize();
        long plane = (long)outH * outW, patch = g.PatchSize, inPlane = (long)h * w;
        var geometry = new PstConv2dGeometry
        {
            Channels = g.InChannelsPerGroup, InHeight = h, InWidth = w, OutHeight = outH, OutWidth = outW, KernelHeight = k, KernelWidth = k,
            StrideHeight = stride, StrideWidth = stride, PaddingHeight = padding, PaddingWidth = padding, DilationHeight = dilation, DilationWidth = dilation,
        };
        using var dx = DeviceBuffer.Upload(x);
        using var dw = DeviceBuffer.Upload(weight);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dy = DeviceBuffer.Allocate(y.Numel(), dtype);
        using var dgx = DeviceBuffer.Allocate(gx.Numel(), dtype);
        using var dgw = DeviceBuffer.Allocate(gw.Numel(), dtype);
        using var col = DeviceBuffer.Allocate(n * patch * plane, dtype);
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup;
        for (int group = 0; group < groups; group++)
        {
            byte* xg = (byte*)dx.Pointer + group * cinG * inPlane * esize;
            byte* wg = (byte*)dw.Pointer + group * coutG * patch * esize;
            byte* yg = (byte*)dy.Pointer + group * coutG * plane * esize;
            byte* gyg = (byte*)dgy.Pointer + group * coutG * plane * esize;
            byte* gxg = (byte*)dgx.Pointer + group * cinG * inPlane * esize;
            byte* gwg = (byte*)dgw.Pointer + group * coutG * patch * esize;
            // forward: y_g[b] = W_g [cout, patch] x col[b] [patch, plane]
            DeviceBuffer.Check(PstorchCuda.Im2col(Code(dtype), col.Pointer, xg, &geometry, n, cin * inPlane, patch * plane, null));
            DeviceBuffer.Check(PstorchCuda.GemmStridedBatched(Code(dtype), 0, 0, coutG, plane, patch, 1, wg, patch, 0, col.Pointer, plane, patch * plane,
                0, yg, plane, cout * plane, n, null));
            // weight gradient: gW_g += gy_g[b] [cout, plane] x col[b]^T [plane, patch], image by image
            for (int b = 0; b < n; b++)
                DeviceBuffer.Check(PstorchCuda.GemmStridedBatched(Code(dtype), 0, 1, coutG, patch, plane, 1, gyg + b * cout * plane * esize, plane, 0,
                    (byte*)col.Pointer + b * patch * plane * esize, plane, 0, b == 0 ? 0 : 1, gwg, patch, 0, 1, null));
            // input gradient: col[b] = W_g^T [patch, cout] x gy_g[b] [cout, plane], then folded back
            DeviceBuffer.Check(PstorchCuda.GemmStridedBatched(Code(dtype), 1, 0, patch, plane, coutG, 1, wg, patch, 0, gyg, plane, cout * plane,
                0, col.Pointer, plane, patch * plane, n, null));
            DeviceBuffer.Check(PstorchCuda.Col2im(Code(dtype), gxg, col.Pointer, &geometry, n, cin * inPlane, patch * plane, null));
        }
        var tolerance = Tolerance(dtype, 1e-4);
        Close(y, Download(dy, y), tolerance);
        Close(gx, Download(dgx, gx), tolerance);
        Close(gw, Download(dgw, gw), tolerance);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ChannelSumMatchesCpuBiasGradient(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var gy = Random([5, 7, 13, 11], dtype, 14);
        var expected = Torch.Empty([7], dtype);
        Cpu.Conv2dBackwardBias(expected, gy);
        using var dgy = DeviceBuffer.Upload(gy);
        using var db = DeviceBuffer.Allocate(7, dtype);
        DeviceBuffer.Check(PstorchCuda.ChannelSum(Code(dtype), db.Pointer, dgy.Pointer, 5, 7, 143, null));
        Close(expected, Download(db, expected), Tolerance(dtype, 1e-5));
    }

    // ---- losses ----

    static Tensor Targets(long rows, long classes, long ignoreIndex, int seed)
    {
        var t = Torch.Randint(0, classes, [rows], generator: new Generator(seed));
        t[1] = Torch.Full([], ignoreIndex, DType.Int64);
        t[rows - 2] = Torch.Full([], ignoreIndex, DType.Int64);
        return t;
    }

    [Theory]
    [InlineData(DType.Float32, 0, false)]
    [InlineData(DType.Float32, 1, true)]
    [InlineData(DType.Float64, 2, true)]
    [InlineData(DType.Float64, 1, false)]
    public void NllLossForwardAndBackwardMatchCpu(DType dtype, int reductionCode, bool weighted)
    {
        DeviceBuffer.RequireDevice();
        var reduction = (LossReduction)reductionCode;
        long rows = 37, classes = 45, ignore = 3;
        var logp = Random([rows, classes], dtype, 15).LogSoftmax(1);
        var target = Targets(rows, classes, ignore, 16);
        var weight = weighted ? Torch.Rand([classes], dtype, generator: new Generator(17)) + 0.5 : null;
        long outCount = reduction == LossReduction.None ? rows : 1;
        var output = Torch.Empty(reduction == LossReduction.None ? [rows] : [], dtype);
        var totalWeight = Torch.Empty([], dtype);
        Cpu.NllLoss(output, totalWeight, logp, target, weight, ignore, reduction);
        var gy = reduction == LossReduction.None ? Random([rows], dtype, 18) : Torch.Full([], 0.7, dtype);
        var gx = Torch.Empty([rows, classes], dtype);
        Cpu.NllLossBackward(gx, gy, target, weight, totalWeight, ignore, reduction);

        using var dlogp = DeviceBuffer.Upload(logp);
        using var dt = DeviceBuffer.Upload(target);
        using var dw = weight == null ? null : DeviceBuffer.Upload(weight);
        using var dout = DeviceBuffer.Allocate(outCount, dtype);
        using var dtw = DeviceBuffer.Allocate(1, dtype);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dgx = DeviceBuffer.Allocate(rows * classes, dtype);
        using var flag = DeviceBuffer.Upload(Torch.Zeros([1], DType.Int32));
        void* w = dw == null ? null : dw.Pointer;
        DeviceBuffer.Check(PstorchCuda.NllLoss(Code(dtype), dout.Pointer, dtw.Pointer, dlogp.Pointer, (long*)dt.Pointer, w, rows, classes, ignore,
            (PstReduction)reductionCode, (int*)flag.Pointer, null));
        DeviceBuffer.Check(PstorchCuda.NllLossBackward(Code(dtype), dgx.Pointer, dgy.Pointer, (long*)dt.Pointer, w, dtw.Pointer, rows, classes, ignore,
            (PstReduction)reductionCode, null));
        var tolerance = Tolerance(dtype, 1e-6);
        Close(output, Download(dout, output), tolerance);
        if (reduction != LossReduction.None) Close(totalWeight, Download(dtw, totalWeight), tolerance);
        Close(gx, Download(dgx, gx), tolerance);
        Assert.Equal(0, flag.Download([1], DType.Int32).ToArray<int>()[0]);
    }

    [Fact]
    public void NllLossRaisesTheInvalidTargetFlagAndSkipsTheRow()
    {
        DeviceBuffer.RequireDevice();
        var logp = Random([4, 5], DType.Float32, 19).LogSoftmax(1);
        var target = Torch.NewTensor(new long[] { 0, 7, 2, -1 }); // 7 and -1 are out of range; -100 would be ignored
        using var dlogp = DeviceBuffer.Upload(logp);
        using var dt = DeviceBuffer.Upload(target);
        using var dout = DeviceBuffer.Allocate(4, DType.Float32);
        using var flag = DeviceBuffer.Upload(Torch.Zeros([1], DType.Int32));
        DeviceBuffer.Check(PstorchCuda.NllLoss(PstDtype.Float32, dout.Pointer, null, dlogp.Pointer, (long*)dt.Pointer, null, 4, 5, -100, PstReduction.None,
            (int*)flag.Pointer, null));
        Assert.Equal(1, flag.Download([1], DType.Int32).ToArray<int>()[0]);
        var losses = dout.Download([4], DType.Float32).ToArray<float>();
        Assert.Equal(-logp[0, 0].Item<float>(), losses[0]);
        Assert.Equal(0f, losses[1]);
        Assert.Equal(-logp[2, 2].Item<float>(), losses[2]);
        Assert.Equal(0f, losses[3]);
    }

    [Theory]
    [InlineData(DType.Float32, "mean", false, 0.0)]
    [InlineData(DType.Float32, "mean", true, 0.1)]
    [InlineData(DType.Float32, "none", true, 0.2)]
    [InlineData(DType.Float64, "sum", true, 0.1)]
    [InlineData(DType.Float64, "mean", true, 0.3)]
    [InlineData(DType.Float64, "none", false, 0.0)]
    public void FusedCrossEntropyForwardAndBackwardMatchCpuAutograd(DType dtype, string reduction, bool weighted, double smoothing)
    {
        DeviceBuffer.RequireDevice();
        long rows = 37, classes = 45, ignore = -100; // 45 classes: a warp loops twice over a row
        var logits = (Random([rows, classes], dtype, 20) * 3).RequiresGrad_();
        var target = Targets(rows, classes, ignore, 21);
        var weight = weighted ? Torch.Rand([classes], dtype, generator: new Generator(22)) + 0.5 : null;
        var loss = Functional.CrossEntropy(logits, target, weight, ignore, reduction, smoothing);
        var gy = reduction == "none" ? Random([rows], dtype, 23) : Torch.Full([], 0.7, dtype);
        loss.Backward(gy);
        var code = reduction switch { "none" => PstReduction.None, "sum" => PstReduction.Sum, _ => PstReduction.Mean };

        var lseType = dtype == DType.Float64 ? DType.Float64 : DType.Float32;
        using var dx = DeviceBuffer.Upload(logits.Detach());
        using var dt = DeviceBuffer.Upload(target);
        using var dw = weight == null ? null : DeviceBuffer.Upload(weight);
        using var dout = DeviceBuffer.Allocate(rows, dtype);
        using var dtw = DeviceBuffer.Allocate(1, dtype);
        using var dlse = DeviceBuffer.Allocate(rows, lseType);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dgx = DeviceBuffer.Allocate(rows * classes, dtype);
        void* w = dw == null ? null : dw.Pointer;
        DeviceBuffer.Check(PstorchCuda.CrossEntropy(Code(dtype), dout.Pointer, dtw.Pointer, dlse.Pointer, dx.Pointer, (long*)dt.Pointer, w, rows, classes,
            ignore, smoothing, code, null, null));
        DeviceBuffer.Check(PstorchCuda.CrossEntropyBackward(Code(dtype), dgx.Pointer, dgy.Pointer, dx.Pointer, dlse.Pointer, (long*)dt.Pointer, w, dtw.Pointer,
            rows, classes, ignore, smoothing, code, null));
        var tolerance = Tolerance(dtype, 1e-5);
        Close(loss.Detach(), Download(dout, loss), tolerance);
        Close(logits.Detach().Exp().Sum(1).Log().To(lseType), dlse.Download([rows], lseType), tolerance);
        Close(logits.Grad!, Download(dgx, logits.Grad!), tolerance);
    }

    // ---- normalisation ----

    [Theory]
    [InlineData(DType.Float32, new long[] { 6, 5, 7, 9 })]
    [InlineData(DType.Float64, new long[] { 6, 5, 7, 9 })]
    [InlineData(DType.Float32, new long[] { 33, 4 })] // BatchNorm1d: a plane of one element
    public void BatchNormTrainingForwardRunningStatsAndBackwardMatchCpu(DType dtype, long[] shape)
    {
        DeviceBuffer.RequireDevice();
        long batch = shape[0], channels = shape[1], plane = shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        var x = (Random(shape, dtype, 24) * 2 + 1).RequiresGrad_();
        var weight = (Torch.Rand([channels], dtype, generator: new Generator(25)) + 0.5).RequiresGrad_();
        var bias = Random([channels], dtype, 26).RequiresGrad_();
        var runningMean = Random([channels], dtype, 27);
        var runningVar = Torch.Rand([channels], dtype, generator: new Generator(28)) + 0.5;
        var deviceRunningMean = DeviceBuffer.Upload(runningMean);
        var deviceRunningVar = DeviceBuffer.Upload(runningVar);
        var y = Functional.BatchNorm(x, runningMean, runningVar, weight, bias, training: true, momentum: 0.1, eps: 1e-5);
        var gy = Random(shape, dtype, 29);
        y.Backward(gy);

        using var rm = deviceRunningMean;
        using var rv = deviceRunningVar;
        using var dx = DeviceBuffer.Upload(x.Detach());
        using var dw = DeviceBuffer.Upload(weight.Detach());
        using var db = DeviceBuffer.Upload(bias.Detach());
        using var dy = DeviceBuffer.Allocate(x.Numel(), dtype);
        using var mean = DeviceBuffer.Allocate(channels, dtype);
        using var invstd = DeviceBuffer.Allocate(channels, dtype);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dgx = DeviceBuffer.Allocate(x.Numel(), dtype);
        using var dgw = DeviceBuffer.Allocate(channels, dtype);
        using var dgb = DeviceBuffer.Allocate(channels, dtype);
        DeviceBuffer.Check(PstorchCuda.BatchNormForward(Code(dtype), dy.Pointer, mean.Pointer, invstd.Pointer, rm.Pointer, rv.Pointer, dx.Pointer, dw.Pointer,
            db.Pointer, batch, channels, plane, 1, 0.1, 1e-5, null));
        DeviceBuffer.Check(PstorchCuda.BatchNormBackward(Code(dtype), dgx.Pointer, dgw.Pointer, dgb.Pointer, dgy.Pointer, dx.Pointer, dw.Pointer, mean.Pointer,
            invstd.Pointer, batch, channels, plane, 1, null));
        var tolerance = Tolerance(dtype, 1e-4);
        Close(y.Detach(), Download(dy, y), tolerance);
        Close(runningMean, Download(rm, runningMean), tolerance);
        Close(runningVar, Download(rv, runningVar), tolerance);
        Close(x.Grad!, Download(dgx, x), tolerance);
        Close(weight.Grad!, Download(dgw, weight), tolerance);
        Close(bias.Grad!, Download(dgb, bias), tolerance);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void BatchNormEvaluationForwardAndBackwardMatchCpu(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        long[] shape = [4, 3, 5, 7];
        var x = Random(shape, dtype, 30).RequiresGrad_();
        var weight = (Torch.Rand([3], dtype, generator: new Generator(31)) + 0.5).RequiresGrad_();
        var bias = Random([3], dtype, 32).RequiresGrad_();
        var runningMean = Random([3], dtype, 33);
        var runningVar = Torch.Rand([3], dtype, generator: new Generator(34)) + 0.5;
        var y = Functional.BatchNorm(x, runningMean, runningVar, weight, bias, training: false);
        var gy = Random(shape, dtype, 35);
        y.Backward(gy);

        using var rm = DeviceBuffer.Upload(runningMean);
        using var rv = DeviceBuffer.Upload(runningVar);
        using var dx = DeviceBuffer.Upload(x.Detach());
        using var dw = DeviceBuffer.Upload(weight.Detach());
        using var db = DeviceBuffer.Upload(bias.Detach());
        using var dy = DeviceBuffer.Allocate(x.Numel(), dtype);
        using var mean = DeviceBuffer.Allocate(3, dtype);
        using var invstd = DeviceBuffer.Allocate(3, dtype);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dgx = DeviceBuffer.Allocate(x.Numel(), dtype);
        using var dgw = DeviceBuffer.Allocate(3, dtype);
        DeviceBuffer.Check(PstorchCuda.BatchNormForward(Code(dtype), dy.Pointer, mean.Pointer, invstd.Pointer, rm.Pointer, rv.Pointer, dx.Pointer, dw.Pointer,
            db.Pointer, 4, 3, 35, 0, 0.1, 1e-5, null));
        DeviceBuffer.Check(PstorchCuda.BatchNormBackward(Code(dtype), dgx.Pointer, dgw.Pointer, null, dgy.Pointer, dx.Pointer, dw.Pointer, mean.Pointer,
            invstd.Pointer, 4, 3, 35, 0, null));
        var tolerance = Tolerance(dtype, 1e-5);
        Close(y.Detach(), Download(dy, y), tolerance);
        Close(runningMean, Download(mean, runningMean), 0, 0);
        Close(x.Grad!, Download(dgx, x), tolerance);
        Close(weight.Grad!, Download(dgw, weight), tolerance);
    }

    [Theory]
    [InlineData(DType.Float32, 67)]
    [InlineData(DType.Float64, 67)]
    [InlineData(DType.Float32, 1500)] // longer than a block: threads loop over the row
    public void LayerNormForwardAndBackwardMatchCpuAutograd(DType dtype, long cols)
    {
        DeviceBuffer.RequireDevice();
        long rows = 13;
        var x = (Random([rows, cols], dtype, 36) * 2 + 3).RequiresGrad_();
        var weight = (Torch.Rand([cols], dtype, generator: new Generator(37)) + 0.5).RequiresGrad_();
        var bias = Random([cols], dtype, 38).RequiresGrad_();
        var y = Functional.LayerNorm(x, [cols], weight, bias, 1e-5);
        var gy = Random([rows, cols], dtype, 39);
        y.Backward(gy);

        var statType = dtype == DType.Float64 ? DType.Float64 : DType.Float32;
        using var dx = DeviceBuffer.Upload(x.Detach());
        using var dw = DeviceBuffer.Upload(weight.Detach());
        using var db = DeviceBuffer.Upload(bias.Detach());
        using var dy = DeviceBuffer.Allocate(x.Numel(), dtype);
        using var mean = DeviceBuffer.Allocate(rows, statType);
        using var rstd = DeviceBuffer.Allocate(rows, statType);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dgx = DeviceBuffer.Allocate(x.Numel(), dtype);
        using var dgw = DeviceBuffer.Allocate(cols, dtype);
        using var dgb = DeviceBuffer.Allocate(cols, dtype);
        DeviceBuffer.Check(PstorchCuda.LayerNormForward(Code(dtype), dy.Pointer, mean.Pointer, rstd.Pointer, dx.Pointer, dw.Pointer, db.Pointer, rows, cols,
            1e-5, null));
        DeviceBuffer.Check(PstorchCuda.LayerNormBackward(Code(dtype), dgx.Pointer, dgw.Pointer, dgb.Pointer, dgy.Pointer, dx.Pointer, dw.Pointer, mean.Pointer,
            rstd.Pointer, rows, cols, null));
        var tolerance = Tolerance(dtype, 1e-4);
        Close(y.Detach(), Download(dy, y), tolerance);
        Close(x.Detach().Mean([1]).To(statType), mean.Download([rows], statType), tolerance);
        Close(x.Grad!, Download(dgx, x), tolerance);
        Close(weight.Grad!, Download(dgw, weight), tolerance);
        Close(bias.Grad!, Download(dgb, bias), tolerance);
    }

    // ---- fused optimizer steps ----

    // 27 tensors (two launches of at most 24), sizes odd and one over a block's chunk of 4096 elements.
    static readonly long[] ParameterSizes = [.. Enumerable.Range(0, 26).Select(i => (long)(1 + 37 * i)), 5003];

    static Tensor[] Tensors(DType dtype, int seed, bool positive = false) =>
        ParameterSizes.Select((n, i) => positive ? Random([n], dtype, seed + i).Abs() : Random([n], dtype, seed + i)).ToArray();

    static DeviceBuffer[] Upload(Tensor[] tensors) => tensors.Select(DeviceBuffer.Upload).ToArray();

    static void*[] PointersOf(DeviceBuffer[] buffers)
    {
        var pointers = new void*[buffers.Length];
        for (int i = 0; i < buffers.Length; i++) pointers[i] = buffers[i].Pointer;
        return pointers;
    }

    [Theory]
    [InlineData(DType.Float32, false, false, false)]
    [InlineData(DType.Float32, true, true, false)]
    [InlineData(DType.Float64, true, false, true)]
    [InlineData(DType.Float64, false, true, true)]
    public void MultiTensorAdamStepMatchesCpu(DType dtype, bool decoupled, bool amsgrad, bool maximize)
    {
        DeviceBuffer.RequireDevice();
        var param = Tensors(dtype, 100);
        var grad = Tensors(dtype, 200);
        var m = Tensors(dtype, 300);
        var v = Tensors(dtype, 400, positive: true);
        var vmax = Tensors(dtype, 500, positive: true);
        var buffers = new[] { param, grad, m, v, vmax }.Select(Upload).ToArray();
        const double lr = 1e-2, beta1 = 0.9, beta2 = 0.99, eps = 1e-8, weightDecay = 0.05;
        const long step = 3;
        Cpu.AdamStep(param.Select((t, i) => new AdamTensors(t, grad[i], m[i], v[i], amsgrad ? vmax[i] : null)).ToArray(),
            lr, beta1, beta2, eps, weightDecay, decoupled, maximize, step);
        try
        {
            void*[] p = PointersOf(buffers[0]), g = PointersOf(buffers[1]), ma = PointersOf(buffers[2]), va = PointersOf(buffers[3]), vm = PointersOf(buffers[4]);
            long[] sizes = ParameterSizes;
            fixed (void** pp = p, gp = g, mp = ma, vp = va, vmp = vm)
            fixed (long* sp = sizes)
                DeviceBuffer.Check(PstorchCuda.AdamStep(Code(dtype), pp, gp, mp, vp, amsgrad ? vmp : null, sp, sizes.Length, lr, beta1, beta2, eps,
                    weightDecay, decoupled ? 1 : 0, maximize ? 1 : 0, step, null));
            var tolerance = Tolerance(dtype, 1e-5);
            for (int i = 0; i < param.Length; i++)
            {
                Close(param[i], Download(buffers[0][i], param[i]), tolerance);
                Close(m[i], Download(buffers[2][i], m[i]), tolerance);
                Close(v[i], Download(buffers[3][i], v[i]), tolerance);
                if (amsgrad) Close(vmax[i], Download(buffers[4][i], vmax[i]), tolerance);
            }
        }
        finally
        {
            foreach (var b in buffers.SelectMany(x => x)) b.Dispose();
        }
    }

    [Theory]
    [InlineData(DType.Float32, true, false, false)]
    [InlineData(DType.Float32, false, true, true)]
    [InlineData(DType.Float64, false, false, true)]
    public void MultiTensorSgdStepMatchesCpu(DType dtype, bool initializeBuffer, bool nesterov, bool maximize)
    {
        DeviceBuffer.RequireDevice();
        var param = Tensors(dtype, 600);
        var grad = Tensors(dtype, 700);
        var momentumBuffer = Tensors(dtype, 800);
        var buffers = new[] { param, grad, momentumBuffer }.Select(Upload).ToArray();
        const double lr = 0.05, momentum = 0.9, weightDecay = 1e-3;
        double dampening = nesterov ? 0 : 0.1;
        Cpu.SgdStep(param.Select((t, i) => new SgdTensors(t, grad[i], momentumBuffer[i])).ToArray(),
            initializeBuffer, lr, momentum, dampening, weightDecay, nesterov, maximize);
        try
        {
            void*[] p = PointersOf(buffers[0]), g = PointersOf(buffers[1]), mb = PointersOf(buffers[2]);
            long[] sizes = ParameterSizes;
            fixed (void** pp = p, gp = g, bp = mb)
            fixed (long* sp = sizes)
                DeviceBuffer.Check(PstorchCuda.SgdStep(Code(dtype), pp, gp, bp, sp, sizes.Length, initializeBuffer ? 1 : 0, lr, momentum, dampening, weightDecay,
                    nesterov ? 1 : 0, maximize ? 1 : 0, null));
            var tolerance = Tolerance(dtype, 1e-6);
            for (int i = 0; i < param.Length; i++)
            {
                Close(param[i], Download(buffers[0][i], param[i]), tolerance);
                Close(momentumBuffer[i], Download(buffers[2][i], momentumBuffer[i]), tolerance);
            }
        }
        finally
        {
            foreach (var b in buffers.SelectMany(x => x)) b.Dispose();
        }
    }

    [Theory]
    [InlineData(DType.Float32, false, 0.0, 1L)]
    [InlineData(DType.Float32, true, 0.2, 4L)]
    [InlineData(DType.Float64, true, 0.1, 3L)]
    [InlineData(DType.Float64, false, 0.0, 1L)]
    public void MultiTensorAdagradStepMatchesCpu(DType dtype, bool maximize, double weightDecay, long step)
    {
        DeviceBuffer.RequireDevice();
        var param = Tensors(dtype, 900);
        var grad = Tensors(dtype, 1000);
        var sum = Tensors(dtype, 1100, positive: true);
        var buffers = new[] { param, grad, sum }.Select(Upload).ToArray();
        const double lr = 0.05, lrDecay = 0.3, eps = 1e-6;
        Cpu.AdagradStep(param.Select((t, i) => new AdagradTensors(t, grad[i], sum[i])).ToArray(), lr, lrDecay, weightDecay, eps, maximize, step);
        try
        {
            void*[] p = PointersOf(buffers[0]), g = PointersOf(buffers[1]), s = PointersOf(buffers[2]);
            long[] sizes = ParameterSizes;
            fixed (void** pp = p, gp = g, ssp = s)
            fixed (long* sp = sizes)
                DeviceBuffer.Check(PstorchCuda.AdagradStep(Code(dtype), pp, gp, ssp, sp, sizes.Length, lr, lrDecay, weightDecay, eps,
                    maximize ? 1 : 0, step, null));
            var tolerance = Tolerance(dtype, 1e-5);
            for (int i = 0; i < param.Length; i++)
            {
                Close(param[i], Download(buffers[0][i], param[i]), tolerance);
                Close(sum[i], Download(buffers[2][i], sum[i]), tolerance);
            }
        }
        finally
        {
            foreach (var b in buffers.SelectMany(x => x)) b.Dispose();
        }
    }

    [Theory]
    [InlineData(DType.Float32, false, 0.0, false)]
    [InlineData(DType.Float32, true, 0.9, true)]
    [InlineData(DType.Float64, true, 0.0, false)]
    [InlineData(DType.Float64, false, 0.5, true)]
    public void MultiTensorRmspropStepMatchesCpu(DType dtype, bool centered, double momentum, bool maximize)
    {
        DeviceBuffer.RequireDevice();
        var param = Tensors(dtype, 1200);
        var grad = Tensors(dtype, 1300);
        // square_avg stays above grad_avg^2 (|grad_avg| <= 0.5), so the centered average is positive
        var squareAvg = Tensors(dtype, 1400, positive: true).Select(t => t + 0.25).ToArray();
        var gradAvg = Tensors(dtype, 1500).Select(t => t.Clamp(-0.5, 0.5)).ToArray();
        var momentumBuffer = Tensors(dtype, 1600);
        var buffers = new[] { param, grad, squareAvg, gradAvg, momentumBuffer }.Select(Upload).ToArray();
        const double lr = 0.01, alpha = 0.9, eps = 1e-6, weightDecay = 0.05;
        Cpu.RmspropStep(param.Select((t, i) => new RmspropTensors(t, grad[i], squareAvg[i], centered ? gradAvg[i] : null, momentum > 0 ? momentumBuffer[i] : null))
            .ToArray(), lr, alpha, eps, weightDecay, momentum, maximize);
        try
        {
            void*[] p = PointersOf(buffers[0]), g = PointersOf(buffers[1]), sq = PointersOf(buffers[2]), ga = PointersOf(buffers[3]), mb = PointersOf(buffers[4]);
            long[] sizes = ParameterSizes;
            fixed (void** pp = p, gp = g, sqp = sq, gap = ga, bp = mb)
            fixed (long* sp = sizes)
                DeviceBuffer.Check(PstorchCuda.RmspropStep(Code(dtype), pp, gp, sqp, centered ? gap : null, momentum > 0 ? bp : null, sp, sizes.Length,
                    lr, alpha, eps, weightDecay, momentum, maximize ? 1 : 0, null));
            var tolerance = Tolerance(dtype, 1e-5);
            for (int i = 0; i < param.Length; i++)
            {
                Close(param[i], Download(buffers[0][i], param[i]), tolerance);
                Close(squareAvg[i], Download(buffers[2][i], squareAvg[i]), tolerance);
                Close(gradAvg[i], Download(buffers[3][i], gradAvg[i]), tolerance);
                Close(momentumBuffer[i], Download(buffers[4][i], momentumBuffer[i]), tolerance);
            }
        }
        finally
        {
            foreach (var b in buffers.SelectMany(x => x)) b.Dispose();
        }
    }

    // ---- dropout ----

    [Theory]
    [InlineData(DType.Float32, 0.3)]
    [InlineData(DType.Float64, 0.5)]
    public void DropoutDrawsTheCpuMaskFromTheSameSeedAndOffset(DType dtype, double p)
    {
        DeviceBuffer.RequireDevice();
        const long n = 1003;
        var x = Random([n], dtype, 40);
        var state = new Generator(41).Reserve(0);
        var expected = Functional.Dropout(x, p, training: true, generator: new Generator(41));
        var gy = Random([n], dtype, 42);
        using var dx = DeviceBuffer.Upload(x);
        using var dy = DeviceBuffer.Allocate(n, dtype);
        using var mask = DeviceBuffer.Allocate(n, DType.UInt8);
        using var dgy = DeviceBuffer.Upload(gy);
        using var dgx = DeviceBuffer.Allocate(n, dtype);
        DeviceBuffer.Check(PstorchCuda.Dropout(Code(dtype), dy.Pointer, (byte*)mask.Pointer, dx.Pointer, n, p, state.Seed, state.Offset, null));
        DeviceBuffer.Check(PstorchCuda.DropoutBackward(Code(dtype), dgx.Pointer, dgy.Pointer, (byte*)mask.Pointer, n, p, null));
        // the scale 1/(1-p) may round differently from the CPU's tensor division: values within an ulp, the mask exact
        Close(expected, Download(dy, expected), Tolerance(dtype, 1e-6));
        var kept = mask.Download([n], DType.UInt8).ToArray<byte>();
        var reference = expected.To(DType.Float64).ToArray<double>();
        var input = x.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < n; i++)
            if (input[i] != 0) Assert.True((reference[i] != 0) == (kept[i] != 0), $"element {i}: the mask disagrees with the CPU's dropout");
        var keptTensor = Torch.NewTensor(kept.Select(k => k != 0 ? 1.0 : 0.0).ToArray()).To(dtype);
        Close(gy * (keptTensor / (1 - p)), Download(dgx, gy), Tolerance(dtype, 1e-6));
    }
}
