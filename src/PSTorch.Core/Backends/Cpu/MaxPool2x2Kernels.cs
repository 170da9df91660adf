using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Float max pooling with a 2x2 window, stride 2, no padding or dilation (the common CNN layer), four outputs per
/// 128-bit step. A row shorter than four outputs, or a machine without SSE, takes the general kernel instead.
/// The window is visited in PyTorch's order (0,0), (0,1), (1,0), (1,1) with its rule: a larger value or any NaN
/// takes the place, so ties keep the first maximum and the last NaN wins, exactly as the general kernel.
/// </summary>
internal static unsafe class MaxPool2x2Kernels
{
    const int Step = 4;

    public static bool Applies(in Pool2dGeometry g) =>
        Sse.IsSupported && g.KernelHeight == 2 && g.KernelWidth == 2 && g.StrideHeight == 2 && g.StrideWidth == 2 &&
        g.PaddingHeight == 0 && g.PaddingWidth == 0 && g.DilationHeight == 1 && g.DilationWidth == 1 &&
        g.OutWidth >= Step && 2 * g.OutHeight <= g.InHeight && 2 * g.OutWidth <= g.InWidth;

    /// <summary>The output columns of a chunk: steps of four, the last one moved back to end at the row's end (recomputing a few).</summary>
    static int ChunkStart(int ow, int outW) => Math.Min(ow, outW - Step);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardPlane(float* x, float* y, long* indices, in Pool2dGeometry g)
    {
        int w = g.InWidth, outW = g.OutWidth;
        var lane = Vector128.Create(0, 2, 4, 6);
        var right = Vector128.Create(1);
        var below = Vector128.Create(w);
        var belowRight = Vector128.Create(w + 1);
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            float* top = x + (long)2 * oh * w, bottom = top + w;
            for (int chunk = 0; chunk < outW; chunk += Step)
            {
                int ow = ChunkStart(chunk, outW);
                var (topLeft, topRight) = Deinterleave(top + 2 * ow);
                var (bottomLeft, bottomRight) = Deinterleave(bottom + 2 * ow);
                var max = topLeft;
                var offset = Vector128<int>.Zero;
                Take(ref max, ref offset, topRight, right);
                Take(ref max, ref offset, bottomLeft, below);
                Take(ref max, ref offset, bottomRight, belowRight);
                max.Store(y + (long)oh * outW + ow);
                var at = offset + lane + Vector128.Create(2 * oh * w + 2 * ow);
                long* indexOut = indices + (long)oh * outW + ow;
                Vector128.WidenLower(at).Store(indexOut);
                Vector128.WidenUpper(at).Store(indexOut + 2);
            }
        }
    }

    /// <summary>gradInput of one plane, written whole (no clearing pass): each window gets its gradient at its argmax and zeros elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardPlane(float* gx, float* gy, long* indices, in Pool2dGeometry g)
    {
        int w = g.InWidth, outW = g.OutWidth;
        var lane = Vector128.Create(0, 2, 4, 6);
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            float* top = gx + (long)2 * oh * w, bottom = top + w;
            for (int chunk = 0; chunk < outW; chunk += Step)
            {
                int ow = ChunkStart(chunk, outW);
                long* indexIn = indices + (long)oh * outW + ow;
                var offset = Vector128.Narrow(Vector128.Load(indexIn), Vector128.Load(indexIn + 2)) - lane - Vector128.Create(2 * oh * w + 2 * ow);
                var grad = Vector128.Load(gy + (long)oh * outW + ow);
                Interleave(top + 2 * ow, Where(offset, 0, grad), Where(offset, 1, grad));
                Interleave(bottom + 2 * ow, Where(offset, w, grad), Where(offset, w + 1, grad));
            }
        }
        // rows and columns no window covers (odd sizes) get no gradient
        for (int h = 0; h < g.InHeight; h++)
        {
            int first = h < 2 * g.OutHeight ? 2 * outW : 0;
            new Span<float>(gx + (long)h * w + first, w - first).Clear();
        }
    }

    static Vector128<float> Where(Vector128<int> offset, int position, Vector128<float> grad) =>
        Vector128.ConditionalSelect(Vector128.Equals(offset, Vector128.Create(position)).AsSingle(), grad, Vector128<float>.Zero);

    /// <summary>PyTorch's update: the candidate replaces the maximum if larger or NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Take(ref Vector128<float> max, ref Vector128<int> offset, Vector128<float> candidate, Vector128<int> candidateOffset)
    {
        var take = Vector128.GreaterThan(candidate, max) | ~Vector128.Equals(candidate, candidate);
        max = Vector128.ConditionalSelect(take, candidate, max);
        offset = Vector128.ConditionalSelect(take.AsInt32(), candidateOffset, offset);
    }

    /// <summary>Eight floats split into the four even-indexed and the four odd-indexed ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (Vector128<float> Even, Vector128<float> Odd) Deinterleave(float* p)
    {
        var a = Vector128.Load(p);
        var b = Vector128.Load(p + 4);
        return (Sse.Shuffle(a, b, 0b10_00_10_00), Sse.Shuffle(a, b, 0b11_01_11_01));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Interleave(float* p, Vector128<float> even, Vector128<float> odd)
    {
        Sse.UnpackLow(even, odd).Store(p);
        Sse.UnpackHigh(even, odd).Store(p + 4);
    }
}
