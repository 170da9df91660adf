using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Copies a block of A or B into the micro-panel layout the GEMM kernels read: panels of
/// <c>width</c> lanes (rows of A or columns of B), each stored as kc consecutive groups of
/// <c>pitch</c> values (pitch >= width, so groups can start on vector boundaries), zero-padded
/// past the matrix edge so the kernels never need edge cases in their k loop.
/// A and B pack identically once described as "strideAcross" (between panel lanes) and
/// "strideAlongK" (between k steps), so one routine serves any transpose of either operand.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs <paramref name="length"/> lanes by kc steps into consecutive panels of pitch * kc values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackBlock<T>(T* source, long strideAcross, long strideAlongK, int length, int kc, int width, int pitch, T* destination)
        where T : unmanaged
    {
        for (int lane = 0; lane < length; lane += width)
        {
            PackPanel(source + lane * strideAcross, strideAcross, strideAlongK, kc, Math.Min(width, length - lane), pitch, destination);
            destination += (long)pitch * kc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanel<T>(T* source, long strideAcross, long strideAlongK, int kc, int valid, int pitch, T* destination)
        where T : unmanaged
    {
        // k steps at the start whose lanes past `valid` are already zero
        int padded = 0;
        if (strideAcross == 1)
        {
            for (int p = 0; p < kc; p++)
                CopyRun(source + p * strideAlongK, destination + (long)p * pitch, valid);
        }
        else if (strideAlongK == 1)
        {
            int packed = GemmTransposePacking.CanPack<T>(pitch)
                ? GemmTransposePacking.PackPanel(source, strideAcross, kc, valid, pitch, destination)
                : 0;
            padded = packed;
            // Each lane is contiguous along k: read it sequentially, scatter with stride `pitch`.
            for (int lane = 0; lane < valid; lane++)
            {
                T* from = source + lane * strideAcross;
                T* to = destination + lane;
                int p = packed;
                for (; p + 4 <= kc; p += 4)
                {
                    to[(long)p * pitch] = from[p];
                    to[(long)(p + 1) * pitch] = from[p + 1];
                    to[(long)(p + 2) * pitch] = from[p + 2];
                    to[(long)(p + 3) * pitch] = from[p + 3];
                }
                for (; p < kc; p++)
                    to[(long)p * pitch] = from[p];
            }
        }
        else
        {
            for (int p = 0; p < kc; p++)
            {
                T* from = source + p * strideAlongK;
                T* to = destination + (long)p * pitch;
                for (int lane = 0; lane < valid; lane++)
                    to[lane] = from[lane * strideAcross];
            }
        }

        // A few lanes per step (14 of 16 for the AVX-512 A panel): a plain loop, as a Span.Clear call per step
        // took three times as long as transposing the whole panel.
        if (valid < pitch)
        {
            for (int p = padded; p < kc; p++)
            {
                T* gap = destination + (long)p * pitch;
                for (int lane = valid; lane < pitch; lane++)
                    gap[lane] = default;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun<T>(T* from, T* to, int count) where T : unmanaged
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<T>.Count <= count; i += Vector512<T>.Count)
                Vector512.Load(from + i).Store(to + i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= count; i += Vector256<T>.Count)
                Vector256.Load(from + i).Store(to + i);
        }
        for (; i < count; i++)
            to[i] = from[i];
    }
}
