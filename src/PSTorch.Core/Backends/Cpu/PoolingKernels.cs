using System.Numerics;
using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>2-d max, average and adaptive pooling, one plane per work item, planes split over the threads.</summary>
internal static unsafe class PoolingKernels<T> where T : unmanaged, INumber<T>
{
    // Below this many input elements the threads cost more than they save.
    const long ParallelElements = 32 * 1024;

    static void ForEachPlane(in Pool2dGeometry g, Action<long, long> range)
    {
        long planes = g.Planes;
        int workers = (int)Math.Min(CpuThreads.Count, planes);
        if (workers <= 1 || planes * g.InHeight * g.InWidth < ParallelElements)
        {
            range(0, planes);
            return;
        }
        CpuThreads.For(workers, w => range(planes * w / workers, planes * (w + 1) / workers));
    }

    public static void MaxForward(Tensor output, Tensor indices, Tensor input, Pool2dGeometry g)
    {
        nint x = (nint)input.Ptr<T>(), y = (nint)output.Ptr<T>(), idx = (nint)indices.Ptr<long>();
        bool twoByTwo = typeof(T) == typeof(float) && MaxPool2x2Kernels.Applies(g);
        ForEachPlane(g, (first, end) =>
        {
            for (long p = first; p < end; p++)
                if (twoByTwo) MaxPool2x2Kernels.ForwardPlane((float*)x + p * g.InHeight * g.InWidth, (float*)y + p * g.OutHeight * g.OutWidth, (long*)idx + p * g.OutHeight * g.OutWidth, g);
                else MaxPlane((T*)x + p * g.InHeight * g.InWidth, (T*)y + p * g.OutHeight * g.OutWidth, (long*)idx + p * g.OutHeight * g.OutWidth, g);
        });
    }

    /// <summary>
    /// Window maxima and their input offsets. The updates are branch-free: on data without order (activations)
    /// a branch per element mispredicts about half the time, which costs more than the whole comparison.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void MaxPlane(T* x, T* y, long* indices, in Pool2dGeometry g)
    {
        int h = g.InHeight, w = g.InWidth, kh = g.KernelHeight, kw = g.KernelWidth, dh = g.DilationHeight, dw = g.DilationWidth;
        int outH = g.OutHeight, outW = g.OutWidth, sh = g.StrideHeight, sw = g.StrideWidth, ph = g.PaddingHeight, pw = g.PaddingWidth;
        T negativeInfinity = T.CreateTruncating(double.NegativeInfinity);
        for (int oh = 0; oh < outH; oh++)
        {
            int hStart = oh * sh - ph;
            // first and one-past-last kernel rows that fall inside the input
            int kiFirst = hStart >= 0 ? 0 : (-hStart + dh - 1) / dh;
            int kiEnd = Math.Min(kh, (h - hStart + dh - 1) / dh);
            T* yRow = y + (long)oh * outW;
            long* indexRow = indices + (long)oh * outW;
            for (int ow = 0; ow < outW; ow++)
            {
                int wStart = ow * sw - pw;
                int kjFirst = wStart >= 0 ? 0 : (-wStart + dw - 1) / dw;
                int kjEnd = Math.Min(kw, (w - wStart + dw - 1) / dw);
                long best = (long)(hStart + kiFirst * dh) * w + wStart + kjFirst * dw;
                T max = negativeInfinity;
                for (int ki = kiFirst; ki < kiEnd; ki++)
                {
                    long rowStart = (long)(hStart + ki * dh) * w + wStart;
                    for (int kj = kjFirst; kj < kjEnd; kj++)
                    {
                        long at = rowStart + kj * dw;
                        KeepMax(x[at], at, ref max, ref best);
                    }
                }
                yRow[ow] = max;
                indexRow[ow] = best;
            }
        }
    }

    public static void AdaptiveMaxForward(Tensor output, Tensor indices, Tensor input, Pool2dGeometry g)
    {
        nint x = (nint)input.Ptr<T>(), y = (nint)output.Ptr<T>(), idx = (nint)indices.Ptr<long>();
        ForEachPlane(g, (first, end) =>
        {
            int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
            for (long p = first; p < end; p++)
                AdaptiveMaxPlane((T*)x + p * inPlane, (T*)y + p * outPlane, (long*)idx + p * outPlane, g);
        });
    }

    /// <summary>Maxima over the adaptive windows with PyTorch's update rule (see MaxPlane): larger or NaN takes the place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AdaptiveMaxPlane(T* x, T* y, long* indices, in Pool2dGeometry g)
    {
        int w = g.InWidth;
        T negativeInfinity = T.CreateTruncating(double.NegativeInfinity);
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            var (h0, h1, _) = Window(oh, g.InHeight, g.OutHeight, 0, 0, 0, adaptive: true);
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                var (w0, w1, _) = Window(ow, w, g.OutWidth, 0, 0, 0, adaptive: true);
                long best = (long)h0 * w + w0;
                T max = negativeInfinity;
                for (int i = h0; i < h1; i++)
                {
                    long rowStart = (long)i * w;
                    for (int j = w0; j < w1; j++)
                    {
                        long at = rowStart + j;
                        KeepMax(x[at], at, ref max, ref best);
                    }
                }
                y[oh * g.OutWidth + ow] = max;
                indices[oh * g.OutWidth + ow] = best;
            }
        }
    }

    /// <summary>
    /// PyTorch's max-pooling rule, branch-free: a larger value or any NaN takes the place with its index (so the last
    /// NaN's index wins), and T.Max keeps a NaN maximum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void KeepMax(T v, long at, ref T max, ref long best)
    {
        bool take = (v > max) | T.IsNaN(v);
        long mask = -(long)Unsafe.As<bool, byte>(ref take);
        best ^= (best ^ at) & mask;
        max = T.Max(max, v);
    }

    public static void MaxBackward(Tensor gradInput, Tensor gradOutput, Tensor indices, Pool2dGeometry g)
    {
        nint gx = (nint)gradInput.Ptr<T>(), gy = (nint)gradOutput.Ptr<T>(), idx = (nint)indices.Ptr<long>();
        bool twoByTwo = typeof(T) == typeof(float) && MaxPool2x2Kernels.Applies(g);
        ForEachPlane(g, (first, end) =>
        {
            int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
            for (long p = first; p < end; p++)
            {
                if (twoByTwo)
                {
                    MaxPool2x2Kernels.BackwardPlane((float*)gx + p * inPlane, (float*)gy + p * outPlane, (long*)idx + p * outPlane, g);
                    continue;
                }
                T* gxp = (T*)gx + p * inPlane, gyp = (T*)gy + p * outPlane;
                long* ip = (long*)idx + p * outPlane;
                new Span<T>(gxp, inPlane).Clear();
                for (int i = 0; i < outPlane; i++) gxp[ip[i]] += gyp[i];
            }
        });
    }

    /// <summary>
    /// Average pooling forward (out = window means of data) or backward (data += each out gradient spread over
    /// its window). <paramref name="pooled"/> is the output-shaped tensor, <paramref name="data"/> the input-shaped one.
    /// </summary>
    public static void Average(Tensor pooled, Tensor data, Pool2dGeometry g, bool adaptive, bool countIncludePad, long divisorOverride, bool backward)
    {
        nint y = (nint)pooled.Ptr<T>(), x = (nint)data.Ptr<T>();
        ForEachPlane(g, (first, end) =>
        {
            int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
            for (long p = first; p < end; p++)
                AveragePlane((T*)x + p * inPlane, (T*)y + p * outPlane, g, adaptive, countIncludePad, divisorOverride, backward);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AveragePlane(T* x, T* y, in Pool2dGeometry g, bool adaptive, bool countIncludePad, long divisorOverride, bool backward)
    {
        int h = g.InHeight, w = g.InWidth;
        if (backward) new Span<T>(x, h * w).Clear();
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            var (h0, h1, hPadded) = Window(oh, h, g.OutHeight, g.KernelHeight, g.StrideHeight, g.PaddingHeight, adaptive);
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                var (w0, w1, wPadded) = Window(ow, w, g.OutWidth, g.KernelWidth, g.StrideWidth, g.PaddingWidth, adaptive);
                long divisor = divisorOverride > 0 ? divisorOverride : countIncludePad ? (long)hPadded * wPadded : (long)(h1 - h0) * (w1 - w0);
                T scale = T.One / T.CreateTruncating(divisor);
                if (backward)
                {
                    T share = y[oh * g.OutWidth + ow] * scale;
                    for (int i = h0; i < h1; i++)
                        for (int j = w0; j < w1; j++) x[i * w + j] += share;
                }
                else
                {
                    T sum = T.Zero;
                    for (int i = h0; i < h1; i++)
                        for (int j = w0; j < w1; j++) sum += x[i * w + j];
                    y[oh * g.OutWidth + ow] = sum * scale;
                }
            }
        }
    }

    /// <summary>The input range [start, end) of output position <paramref name="o"/> and the window size counting padding.</summary>
    static (int Start, int End, int PaddedSize) Window(int o, int size, int outSize, int kernel, int stride, int pad, bool adaptive)
    {
        if (adaptive)
        {
            int s = (int)((long)o * size / outSize), e = (int)(((long)(o + 1) * size + outSize - 1) / outSize);
            return (s, e, e - s);
        }
        int start = o * stride - pad;
        int end = Math.Min(start + kernel, size + pad);
        int padded = end - start;
        return (Math.Max(start, 0), Math.Min(end, size), padded);
    }
}
