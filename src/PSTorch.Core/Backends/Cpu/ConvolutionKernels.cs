using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// 2-d convolution as im2col + GEMM, one image at a time. A batch is spread over the threads image by image
/// (each worker pulls the next image, so a worker slowed by other load just takes fewer), and each image's
/// GEMMs then run on their worker's thread; a single image lets the GEMM split itself instead. Never both:
/// nested splits oversubscribe the cores.
/// </summary>
internal static unsafe class ConvolutionKernels<T> where T : unmanaged, INumber<T>
{
    // Below this many multiply-adds in the whole batch (Gemm's own threshold), one thread beats two.
    const long ParallelWork = 2L * 1024 * 1024;

    public static void Forward(Tensor output, Tensor input, Tensor weight, Tensor? bias, Conv2dGeometry g)
    {
        if (DirectConvolutionKernels<T>.Supports(g))
        {
            DirectConvolutionKernels<T>.Forward(output, input, weight, bias, g);
            return;
        }
        if (ImplicitGemmConvolutionKernels<T>.Supports(g))
        {
            ImplicitGemmConvolutionKernels<T>.Forward(output, input, weight, bias, g);
            return;
        }
        nint x = (nint)input.Ptr<T>(), w = (nint)weight.Ptr<T>(), y = (nint)output.Ptr<T>();
        nint b = bias == null ? 0 : (nint)bias.Ptr<T>();
        RunOverImages(g, output.Device, WorkerCount(g), (col, n, _) =>
            ForwardImage((T*)x + (long)n * g.InChannels * g.InPlane, (T*)w, (T*)b, (T*)y + (long)n * g.OutChannels * g.OutPlane, (T*)col, g));
    }

    public static void BackwardInput(Tensor gradInput, Tensor gradOutput, Tensor weight, Conv2dGeometry g)
    {
        if (ImplicitGemmConvolutionKernels<T>.Supports(g) && ImplicitGemmConvolutionKernels<T>.BackwardInputMatches(weight))
        {
            ImplicitGemmConvolutionKernels<T>.BackwardInput(gradInput, gradOutput, weight, g);
            return;
        }
        nint gx = (nint)gradInput.Ptr<T>(), gy = (nint)gradOutput.Ptr<T>(), w = (nint)weight.Ptr<T>();
        RunOverImages(g, gradInput.Device, WorkerCount(g), (col, n, _) =>
            BackwardInputImage((T*)gx + (long)n * g.InChannels * g.InPlane, (T*)gy + (long)n * g.OutChannels * g.OutPlane, (T*)w, (T*)col, g));
    }

    public static void BackwardWeight(Tensor gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Conv2dGeometry g)
    {
        if (ImplicitGemmConvolutionKernels<T>.SupportsWeightGradient(g))
        {
            ImplicitGemmConvolutionKernels<T>.BackwardWeight(gradWeight, gradBias, gradOutput, input, g);
            return;
        }
        if (gradBias != null) BackwardBias(gradBias, gradOutput);
        int weightSize = checked(g.OutChannels * g.PatchSize);
        int workers = WorkerCount(g);
        // A patch narrower than a GEMM tile (a 3x3 kernel over one input channel: 9) would fill a fraction of each
        // tile's columns: those layers compute gW^T [patch, out] instead, whose wide side is the output channels.
        bool transposed = g.PatchSize < GemmBlocked<T>.TileColumns && g.OutChannelsPerGroup > g.PatchSize;
        // Each worker (but the first, unless transposed) sums its images into a private copy, added up at the end.
        var partials = new Tensor[workers];
        for (int i = 0; i < workers; i++)
            partials[i] = i == 0 && !transposed ? gradWeight : Tensor.Empty([weightSize], gradWeight.DType, gradWeight.Device);
        var targets = new nint[workers];
        for (int i = 0; i < workers; i++)
        {
            targets[i] = (nint)partials[i].Ptr<T>();
            new Span<T>((T*)targets[i], weightSize).Clear();
        }
        nint gy = (nint)gradOutput.Ptr<T>(), x = (nint)input.Ptr<T>();
        RunOverImages(g, gradWeight.Device, workers, (col, n, worker) =>
            BackwardWeightImage((T*)targets[worker], (T*)gy + (long)n * g.OutChannels * g.OutPlane, (T*)x + (long)n * g.InChannels * g.InPlane, (T*)col, g, transposed));
        var sum = new Span<T>((T*)targets[0], weightSize);
        for (int i = 1; i < workers; i++)
            TensorPrimitives.Add(sum, new ReadOnlySpan<T>((T*)targets[i], weightSize), sum);
        if (transposed)
        {
            // per group: [patch, out] -> [out, patch]
            int cout = g.OutChannelsPerGroup, k = g.PatchSize;
            T* gw = gradWeight.Ptr<T>(), source = (T*)targets[0];
            for (int group = 0; group < g.Groups; group++)
                for (int c = 0; c < cout; c++)
                    for (int p = 0; p < k; p++)
                        gw[((long)group * cout + c) * k + p] = source[((long)group * k + p) * cout + c];
        }
        foreach (var partial in partials)
            if (!ReferenceEquals(partial, gradWeight)) partial.Dispose();
    }

    /// <summary>
    /// Channel sums of a contiguous [N, C, plane] gradient, one vectorised sum per plane, channels split over the
    /// threads. Float planes add up in double across the batch (PyTorch's sum is cascaded for the same reason).
    /// </summary>
    public static void BackwardBias(Tensor gradBias, Tensor gradOutput)
    {
        var shape = gradOutput.ShapeRef;
        int batch = checked((int)shape[0]), channels = checked((int)shape[1]);
        long plane = gradOutput.Numel() / Math.Max(1L * batch * channels, 1);
        nint gy = (nint)gradOutput.Ptr<T>(), gb = (nint)gradBias.Ptr<T>();
        int workers = (long)batch * channels * plane >= ParallelWork ? Math.Min(CpuThreads.Count, channels) : 1;
        CpuThreads.For(workers, worker =>
        {
            for (int c = channels * worker / workers; c < channels * (worker + 1) / workers; c++)
            {
                double sum = 0;
                for (int n = 0; n < batch; n++)
                    sum += double.CreateTruncating(TensorPrimitives.Sum(new ReadOnlySpan<T>((T*)gy + ((long)n * channels + c) * plane, checked((int)plane))));
                ((T*)gb)[c] = T.CreateTruncating(sum);
            }
        });
    }

    internal static int WorkerCount(in Conv2dGeometry g) =>
        g.Batch > 1 && (long)g.Batch * g.OutChannels * g.OutPlane * g.PatchSize >= ParallelWork ? Math.Min(CpuThreads.Count, g.Batch) : 1;

    /// <summary>Runs body(unfolded-input buffer, image, worker) for every image, each worker with its own buffer.</summary>
    static void RunOverImages(Conv2dGeometry g, Device device, int workers, Action<nint, int, int> body) =>
        RunOverImages(g, device, workers, g.IsPointwise ? 1 : (long)g.PatchSize * g.OutPlane, body);

    /// <summary>
    /// Runs body(buffer, image, worker) for every image, each worker with its own buffer of <paramref name="colSize"/>
    /// elements, zeroed first when <paramref name="zeroed"/> (for padded copies whose padding is never written).
    /// </summary>
    internal static void RunOverImages(Conv2dGeometry g, Device device, int workers, long colSize, Action<nint, int, int> body, bool zeroed = false)
    {
        var dtype = typeof(T) == typeof(float) ? DType.Float32 : DType.Float64;
        var buffers = new Tensor[workers];
        for (int i = 0; i < workers; i++)
        {
            buffers[i] = Tensor.Empty([colSize], dtype, device);
            if (zeroed) new Span<T>(buffers[i].Ptr<T>(), checked((int)colSize)).Clear();
        }
        int next = -1;
        CpuThreads.For(workers, worker =>
        {
            nint col = (nint)buffers[worker].Ptr<T>();
            for (int n = Interlocked.Increment(ref next); n < g.Batch; n = Interlocked.Increment(ref next))
                body(col, n, worker);
        });
        foreach (var buffer in buffers) buffer.Dispose();
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
    static void BackwardWeightImage(T* gw, T* gy, T* x, T* col, in Conv2dGeometry g, bool transposed)
    {
        int cin = g.InChannelsPerGroup, cout = g.OutChannelsPerGroup, k = g.PatchSize, plane = g.OutPlane;
        for (int group = 0; group < g.Groups; group++)
        {
            T* xg = x + (long)group * cin * g.InPlane;
            T* unfolded = g.IsPointwise ? xg : col;
            if (!g.IsPointwise) Im2Col(xg, col, g);
            T* gyg = gy + (long)group * cout * plane;
            // gW_g [cout, k] += gy_g [cout, plane] x unfolded^T [plane, k], or its transpose [k, cout]
            if (transposed) Matmul(k, cout, plane, unfolded, plane, 1, gyg, 1, plane, gw + (long)group * k * cout, cout, accumulate: true);
            else Matmul(cout, k, plane, gyg, plane, 1, unfolded, 1, plane, gw + (long)group * cout * k, k, accumulate: true);
        }
    }

    static void Matmul(int m, int n, int k, T* a, long ars, long acs, T* b, long brs, long bcs, T* c, long ldc, bool accumulate)
    {
        if (typeof(T) == typeof(float)) Gemm.Sgemm(m, n, k, (float*)a, ars, acs, (float*)b, brs, bcs, (float*)c, ldc, accumulate);
        else Gemm.Dgemm(m, n, k, (double*)a, ars, acs, (double*)b, brs, bcs, (double*)c, ldc, accumulate);
    }

    /// <summary>
    /// Unit strides and output rows as wide as input rows ("same" padding): a kernel tap's unfolded row is then the
    /// input plane shifted by a constant, one contiguous run instead of a short copy per output row.
    /// </summary>
    static bool IsRowAligned(in Conv2dGeometry g) => g.StrideHeight == 1 && g.StrideWidth == 1 && g.OutWidth == g.InWidth;

    /// <summary>
    /// For kernel row <paramref name="ki"/> of a row-aligned convolution: the output rows [RowFirst, RowEnd) that read
    /// inside the input, and the run where unfolded index i + Destination pairs with plane index i + Source, clipped
    /// to the plane. What the run gets wrong (entries in the left/right padding) are the edges <see cref="ClearEdges"/> zeroes.
    /// </summary>
    static (int RowFirst, int RowEnd, (long Destination, long Source) Start, int Length) AlignedBlock(int ki, int colOffset, int first, int end, in Conv2dGeometry g)
    {
        int rowOffset = ki * g.DilationHeight - g.PaddingHeight, h = g.InHeight, w = g.InWidth;
        var (rowFirst, rowEnd) = InsideRange(rowOffset, 1, h, g.OutHeight);
        if (rowFirst >= rowEnd || first >= end) return (rowFirst, Math.Max(rowFirst, rowEnd), (0, 0), 0);
        long destination = (long)rowFirst * w, source = (long)(rowFirst + rowOffset) * w + colOffset;
        long stop = (long)rowEnd * w;
        // clip to the plane: the clipped entries are left/right padding of the first/last row
        if (source < 0) { destination -= source; source = 0; }
        stop = Math.Min(stop, destination + ((long)h * w - source));
        return (rowFirst, rowEnd, (destination, source), (int)Math.Max(0, stop - destination));
    }

    /// <summary>Zeroes the unfolded entries [0, first) and [end, width) of output rows [rowFirst, rowEnd).</summary>
    static void ClearEdges(T* row, int rowFirst, int rowEnd, int first, int end, int width)
    {
        for (int oh = rowFirst; oh < rowEnd; oh++)
        {
            T* r = row + (long)oh * width;
            for (int ow = 0; ow < first; ow++) r[ow] = T.Zero;
            for (int ow = end; ow < width; ow++) r[ow] = T.Zero;
        }
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
                    if (IsRowAligned(g))
                    {
                        var (rowFirst, rowEnd, start, length) = AlignedBlock(ki, colOffset, first, end, g);
                        new Span<T>(row, rowFirst * outW).Clear();
                        new Span<T>(row + (long)rowEnd * outW, (outH - rowEnd) * outW).Clear();
                        new ReadOnlySpan<T>(plane + start.Source, length).CopyTo(new Span<T>(row + start.Destination, length));
                        ClearEdges(row, rowFirst, rowEnd, first, end, outW);
                        continue;
                    }
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
                    if (IsRowAligned(g))
                    {
                        // the entries that fall in the padding would land on a neighbouring row's edge: zero them, then add in one run
                        var (rowFirst, rowEnd, start, length) = AlignedBlock(ki, colOffset, first, end, g);
                        ClearEdges(row, rowFirst, rowEnd, first, end, outW);
                        var target = new Span<T>(plane + start.Source, length);
                        TensorPrimitives.Add(target, new ReadOnlySpan<T>(row + start.Destination, length), target);
                        continue;
                    }
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
