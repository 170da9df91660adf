using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// 2-d convolution as im2col + GEMM, one image at a time. Small images are spread over the threads one image
/// per worker (each GEMM then runs on its own thread); images big enough for the GEMM to split itself run one
/// after another so the GEMM's own thread team does the splitting.
/// </summary>
internal static unsafe class ConvolutionKernels<T> where T : unmanaged, INumber<T>
{
    // Matches Gemm's own threshold for splitting one product over the cores.
    const long GemmParallelWork = 2L * 1024 * 1024;

    public static void Forward(Tensor output, Tensor input, Tensor weight, Tensor? bias, Conv2dGeometry g)
    {
        nint x = (nint)input.Ptr<T>(), w = (nint)weight.Ptr<T>(), y = (nint)output.Ptr<T>();
        nint b = bias == null ? 0 : (nint)bias.Ptr<T>();
        long perImage = (long)g.OutChannels * g.OutPlane * g.PatchSize;
        RunOverImages(g, perImage, output.Device, (col, first, end) =>
        {
            for (int n = first; n < end; n++)
                ForwardImage((T*)x + (long)n * g.InChannels * g.InPlane, (T*)w, (T*)b, (T*)y + (long)n * g.OutChannels * g.OutPlane, (T*)col, g);
        });
    }

    public static void BackwardInput(Tensor gradInput, Tensor gradOutput, Tensor weight, Conv2dGeometry g)
    {
        nint gx = (nint)gradInput.Ptr<T>(), gy = (nint)gradOutput.Ptr<T>(), w = (nint)weight.Ptr<T>();
        long perImage = (long)g.OutChannels * g.OutPlane * g.PatchSize;
        RunOverImages(g, perImage, gradInput.Device, (col, first, end) =>
        {
            for (int n = first; n < end; n++)
                BackwardInputImage((T*)gx + (long)n * g.InChannels * g.InPlane, (T*)gy + (long)n * g.OutChannels * g.OutPlane, (T*)w, (T*)col, g);
        });
    }

    public static void BackwardWeight(Tensor gradWeight, Tensor gradOutput, Tensor input, Conv2dGeometry g)
    {
        long weightSize = (long)g.OutChannels * g.PatchSize;
        long perImage = weightSize * g.OutPlane;
        int workers = WorkerCount(g, perImage);
        // Each extra worker sums its images into a private copy, added up at the end.
        var partials = new Tensor[workers];
        partials[0] = gradWeight;
        for (int i = 1; i < workers; i++) partials[i] = Tensor.Empty([weightSize], gradWeight.DType, gradWeight.Device);
        var targets = partials.Select(t => (nint)t.Ptr<T>()).ToArray();
        nint gy = (nint)gradOutput.Ptr<T>(), x = (nint)input.Ptr<T>();
        RunOverImages(g, perImage, gradWeight.Device, (col, first, end, worker) =>
        {
            T* target = (T*)targets[worker];
            if (first == end) new Span<T>(target, checked((int)weightSize)).Clear();
            for (int n = first; n < end; n++)
                BackwardWeightImage(target, (T*)gy + (long)n * g.OutChannels * g.OutPlane, (T*)x + (long)n * g.InChannels * g.InPlane, (T*)col, g, accumulate: n != first);
        }, workers);
        T* sum = (T*)targets[0];
        for (int i = 1; i < workers; i++)
        {
            T* part = (T*)targets[i];
            for (long j = 0; j < weightSize; j++) sum[j] += part[j];
        }
    }

    static int WorkerCount(in Conv2dGeometry g, long perImage) =>
        perImage >= GemmParallelWork ? 1 : Math.Max(1, Math.Min(CpuThreads.Count, g.Batch));

    static void RunOverImages(Conv2dGeometry g, long perImage, Device device, Action<nint, int, int> body) =>
        RunOverImages(g, perImage, device, (col, first, end, _) => body(col, first, end), WorkerCount(g, perImage));

    /// <summary>Splits the batch into one contiguous run per worker, each with its own unfolded-input buffer.</summary>
    static void RunOverImages(Conv2dGeometry g, long perImage, Device device, Action<nint, int, int, int> body, int workers)
    {
        long colSize = g.IsPointwise ? 1 : (long)g.PatchSize * g.OutPlane;
        var dtype = typeof(T) == typeof(float) ? DType.Float32 : DType.Float64;
        var buffers = new Tensor[workers];
        for (int i = 0; i < workers; i++) buffers[i] = Tensor.Empty([colSize], dtype, device);
        void Part(int worker)
        {
            int first = (int)((long)g.Batch * worker / workers), end = (int)((long)g.Batch * (worker + 1) / workers);
            body((nint)buffers[worker].Ptr<T>(), first, end, worker);
        }
        if (workers == 1) Part(0);
        else Parallel.For(0, workers, CpuThreads.ParallelOptions, Part);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ForwardImage(T* x, T* w, T* bias, T* y, T* col, in Conv2dGeometry g)
    {
        int cin = g.InChannelsPerGroup, cout = g.OutChannelsPerGroup, k = g.PatchSize, plane = g.OutPlane;
        for (int group = 0; group < g.Groups; group++)
        {
            T* xg = x + (long)group * cin * g.InPlane;
            T* unfolded = g.IsPointwise ? xg : col;
            if (!g.IsPointwise) Im2Col(xg, col, g);
            T* yg = y + (long)group * cout * plane;
            Matmul(cout, plane, k, w + (long)group * cout * k, k, 1, unfolded, plane, 1, yg, plane, false);
            if (bias != null)
                for (int c = 0; c < cout; c++)
                {
                    var row = new Span<T>(yg + (long)c * plane, plane);
                    TensorPrimitives.Add(row, bias[group * cout + c], row);
                }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void BackwardInputImage(T* gx, T* gy, T* w, T* col, in Conv2dGeometry g)
    {
        int cin = g.InChannelsPerGroup, cout = g.OutChannelsPerGroup, k = g.PatchSize, plane = g.OutPlane;
        for (int group = 0; group < g.Groups; group++)
        {
            T* gxg = gx + (long)group * cin * g.InPlane;
            T* wg = w + (long)group * cout * k;
            T* gyg = gy + (long)group * cout * plane;
            // unfolded gradient [k, plane] = W_g^T [k, cout] x gy_g [cout, plane]
            if (g.IsPointwise)
            {
                Matmul(k, plane, cout, wg, 1, k, gyg, plane, 1, gxg, plane, false);
                continue;
            }
            Matmul(k, plane, cout, wg, 1, k, gyg, plane, 1, col, plane, false);
            new Span<T>(gxg, cin * g.InPlane).Clear();
            Col2Im(col, gxg, g);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void BackwardWeightImage(T* gw, T* gy, T* x, T* col, in Conv2dGeometry g, bool accumulate)
    {
        int cin = g.InChannelsPerGroup, cout = g.OutChannelsPerGroup, k = g.PatchSize, plane = g.OutPlane;
        for (int group = 0; group < g.Groups; group++)
        {
            T* xg = x + (long)group * cin * g.InPlane;
            T* unfolded = g.IsPointwise ? xg : col;
            if (!g.IsPointwise) Im2Col(xg, col, g);
            // gW_g [cout, k] += gy_g [cout, plane] x unfolded^T [plane, k]
            Matmul(cout, k, plane, gy + (long)group * cout * plane, plane, 1, unfolded, 1, plane, gw + (long)group * cout * k, k, accumulate);
        }
    }

    static void Matmul(int m, int n, int k, T* a, long ars, long acs, T* b, long brs, long bcs, T* c, long ldc, bool accumulate)
    {
        if (typeof(T) == typeof(float)) Gemm.Sgemm(m, n, k, (float*)a, ars, acs, (float*)b, brs, bcs, (float*)c, ldc, accumulate);
        else Gemm.Dgemm(m, n, k, (double*)a, ars, acs, (double*)b, brs, bcs, (double*)c, ldc, accumulate);
    }

    /// <summary>The output columns [first, end) whose input column ow*stride - pad + offset lies inside [0, width).</summary>
    static (int First, int End) InsideRange(int offset, int stride, int width, int outWidth)
    {
        // ow*stride + offset >= 0  and  ow*stride + offset < width
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int end = width - offset <= 0 ? 0 : Math.Min(outWidth, (width - offset + stride - 1) / stride);
        return (Math.Min(first, end), end);
    }

    /// <summary>col[(c, ki, kj), (oh, ow)] = x[c, oh*sh - ph + ki*dh, ow*sw - pw + kj*dw], zero outside the input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Im2Col(T* x, T* col, in Conv2dGeometry g)
    {
        int outH = g.OutHeight, outW = g.OutWidth, h = g.InHeight, w = g.InWidth, sw = g.StrideWidth;
        for (int c = 0; c < g.InChannelsPerGroup; c++)
            for (int ki = 0; ki < g.KernelHeight; ki++)
                for (int kj = 0; kj < g.KernelWidth; kj++)
                {
                    T* row = col + ((long)(c * g.KernelHeight + ki) * g.KernelWidth + kj) * outH * outW;
                    T* plane = x + (long)c * h * w;
                    int colOffset = kj * g.DilationWidth - g.PaddingWidth;
                    var (first, end) = InsideRange(colOffset, sw, w, outW);
                    for (int oh = 0; oh < outH; oh++)
                    {
                        T* dst = row + oh * outW;
                        int ih = oh * g.StrideHeight - g.PaddingHeight + ki * g.DilationHeight;
                        if ((uint)ih >= (uint)h)
                        {
                            new Span<T>(dst, outW).Clear();
                            continue;
                        }
                        T* src = plane + (long)ih * w + colOffset;
                        for (int ow = 0; ow < first; ow++) dst[ow] = T.Zero;
                        if (sw == 1) new ReadOnlySpan<T>(src + first, end - first).CopyTo(new Span<T>(dst + first, end - first));
                        else for (int ow = first; ow < end; ow++) dst[ow] = src[(long)ow * sw];
                        for (int ow = end; ow < outW; ow++) dst[ow] = T.Zero;
                    }
                }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds every col entry into the input element it was read from.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Col2Im(T* col, T* x, in Conv2dGeometry g)
    {
        int outH = g.OutHeight, outW = g.OutWidth, h = g.InHeight, w = g.InWidth, sw = g.StrideWidth;
        for (int c = 0; c < g.InChannelsPerGroup; c++)
            for (int ki = 0; ki < g.KernelHeight; ki++)
                for (int kj = 0; kj < g.KernelWidth; kj++)
                {
                    T* row = col + ((long)(c * g.KernelHeight + ki) * g.KernelWidth + kj) * outH * outW;
                    T* plane = x + (long)c * h * w;
                    int colOffset = kj * g.DilationWidth - g.PaddingWidth;
                    var (first, end) = InsideRange(colOffset, sw, w, outW);
                    for (int oh = 0; oh < outH; oh++)
                    {
                        int ih = oh * g.StrideHeight - g.PaddingHeight + ki * g.DilationHeight;
                        if ((uint)ih >= (uint)h) continue;
                        T* src = row + oh * outW;
                        T* dst = plane + (long)ih * w + colOffset;
                        if (sw == 1)
                        {
                            var target = new Span<T>(dst + first, end - first);
                            TensorPrimitives.Add(target, new ReadOnlySpan<T>(src + first, end - first), target);
                        }
                        else for (int ow = first; ow < end; ow++) dst[(long)ow * sw] += src[ow];
                    }
                }
    }
}
