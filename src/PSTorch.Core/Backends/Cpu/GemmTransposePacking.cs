using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// AVX-512 packing for the common case where each panel lane is contiguous along k (row-major A,
/// column-major B): loads a square of lanes x k-steps and transposes it in registers instead of
/// moving one element at a time.
/// </summary>
internal static unsafe class GemmTransposePacking
{
    /// <summary>Whether panels with this pitch (a whole number of vectors) can be packed here.</summary>
    public static bool CanPack<T>(int pitch) where T : unmanaged
        => Avx512F.IsSupported && Vector512.IsHardwareAccelerated && pitch % Vector512<T>.Count == 0;

    /// <summary>
    /// Packs the first (kc rounded down to a whole square) k steps of a panel of <paramref name="valid"/> lanes
    /// and returns how many k steps it packed. Lanes from <paramref name="valid"/> up to the pitch come out zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int PackPanel<T>(T* source, long strideAcross, int kc, int valid, int pitch, T* destination) where T : unmanaged
    {
        int square = Vector512<T>.Count;
        int packedSteps = kc / square * square;
        for (int group = 0; group < pitch; group += square)
        {
            int lanes = Math.Clamp(valid - group, 0, square);
            T* groupSource = source + group * strideAcross;
            for (int p = 0; p < packedSteps; p += square)
            {
                T* target = destination + (long)p * pitch + group;
                if (typeof(T) == typeof(float))
                    Transpose16x16((float*)groupSource + p, strideAcross, lanes, (float*)target, pitch);
                else
                    Transpose8x8((double*)groupSource + p, strideAcross, lanes, (double*)target, pitch);
            }
        }
        return packedSteps;
    }

    /// <summary>
    /// Transposes <paramref name="lanes"/> rows of 16 floats (missing rows read as zero) into 16 rows of 16:
    /// 32-bit interleave, 64-bit interleave, then two 128-bit lane shuffles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16x16(float* source, long sourceStride, int lanes, float* target, long targetStride)
    {
        Vector512<float> r0 = 0 < lanes ? Vector512.Load(source + 0 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r1 = 1 < lanes ? Vector512.Load(source + 1 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r2 = 2 < lanes ? Vector512.Load(source + 2 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r3 = 3 < lanes ? Vector512.Load(source + 3 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r4 = 4 < lanes ? Vector512.Load(source + 4 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r5 = 5 < lanes ? Vector512.Load(source + 5 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r6 = 6 < lanes ? Vector512.Load(source + 6 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r7 = 7 < lanes ? Vector512.Load(source + 7 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r8 = 8 < lanes ? Vector512.Load(source + 8 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r9 = 9 < lanes ? Vector512.Load(source + 9 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r10 = 10 < lanes ? Vector512.Load(source + 10 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r11 = 11 < lanes ? Vector512.Load(source + 11 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r12 = 12 < lanes ? Vector512.Load(source + 12 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r13 = 13 < lanes ? Vector512.Load(source + 13 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r14 = 14 < lanes ? Vector512.Load(source + 14 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> r15 = 15 < lanes ? Vector512.Load(source + 15 * sourceStride) : Vector512<float>.Zero;
        Vector512<float> p0 = Avx512F.UnpackLow(r0, r1), p1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<float> p2 = Avx512F.UnpackLow(r2, r3), p3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<float> p4 = Avx512F.UnpackLow(r4, r5), p5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<float> p6 = Avx512F.UnpackLow(r6, r7), p7 = Avx512F.UnpackHigh(r6, r7);
        Vector512<float> p8 = Avx512F.UnpackLow(r8, r9), p9 = Avx512F.UnpackHigh(r8, r9);
        Vector512<float> p10 = Avx512F.UnpackLow(r10, r11), p11 = Avx512F.UnpackHigh(r10, r11);
        Vector512<float> p12 = Avx512F.UnpackLow(r12, r13), p13 = Avx512F.UnpackHigh(r12, r13);
        Vector512<float> p14 = Avx512F.UnpackLow(r14, r15), p15 = Avx512F.UnpackHigh(r14, r15);
        // q(4j + c) holds, in each 128-bit lane l, column 4l + c of rows 4j..4j+3.
        Vector512<float> q0 = Avx512F.UnpackLow(p0.AsDouble(), p2.AsDouble()).AsSingle(), q1 = Avx512F.UnpackHigh(p0.AsDouble(), p2.AsDouble()).AsSingle();
        Vector512<float> q2 = Avx512F.UnpackLow(p1.AsDouble(), p3.AsDouble()).AsSingle(), q3 = Avx512F.UnpackHigh(p1.AsDouble(), p3.AsDouble()).AsSingle();
        Vector512<float> q4 = Avx512F.UnpackLow(p4.AsDouble(), p6.AsDouble()).AsSingle(), q5 = Avx512F.UnpackHigh(p4.AsDouble(), p6.AsDouble()).AsSingle();
        Vector512<float> q6 = Avx512F.UnpackLow(p5.AsDouble(), p7.AsDouble()).AsSingle(), q7 = Avx512F.UnpackHigh(p5.AsDouble(), p7.AsDouble()).AsSingle();
        Vector512<float> q8 = Avx512F.UnpackLow(p8.AsDouble(), p10.AsDouble()).AsSingle(), q9 = Avx512F.UnpackHigh(p8.AsDouble(), p10.AsDouble()).AsSingle();
        Vector512<float> q10 = Avx512F.UnpackLow(p9.AsDouble(), p11.AsDouble()).AsSingle(), q11 = Avx512F.UnpackHigh(p9.AsDouble(), p11.AsDouble()).AsSingle();
        Vector512<float> q12 = Avx512F.UnpackLow(p12.AsDouble(), p14.AsDouble()).AsSingle(), q13 = Avx512F.UnpackHigh(p12.AsDouble(), p14.AsDouble()).AsSingle();
        Vector512<float> q14 = Avx512F.UnpackLow(p13.AsDouble(), p15.AsDouble()).AsSingle(), q15 = Avx512F.UnpackHigh(p13.AsDouble(), p15.AsDouble()).AsSingle();
        Vector512<float> upperEven0 = Avx512F.Shuffle4x128(q0, q4, 0x88), upperOdd0 = Avx512F.Shuffle4x128(q0, q4, 0xDD);
        Vector512<float> lowerEven0 = Avx512F.Shuffle4x128(q8, q12, 0x88), lowerOdd0 = Avx512F.Shuffle4x128(q8, q12, 0xDD);
        Vector512<float> upperEven1 = Avx512F.Shuffle4x128(q1, q5, 0x88), upperOdd1 = Avx512F.Shuffle4x128(q1, q5, 0xDD);
        Vector512<float> lowerEven1 = Avx512F.Shuffle4x128(q9, q13, 0x88), lowerOdd1 = Avx512F.Shuffle4x128(q9, q13, 0xDD);
        Vector512<float> upperEven2 = Avx512F.Shuffle4x128(q2, q6, 0x88), upperOdd2 = Avx512F.Shuffle4x128(q2, q6, 0xDD);
        Vector512<float> lowerEven2 = Avx512F.Shuffle4x128(q10, q14, 0x88), lowerOdd2 = Avx512F.Shuffle4x128(q10, q14, 0xDD);
        Vector512<float> upperEven3 = Avx512F.Shuffle4x128(q3, q7, 0x88), upperOdd3 = Avx512F.Shuffle4x128(q3, q7, 0xDD);
        Vector512<float> lowerEven3 = Avx512F.Shuffle4x128(q11, q15, 0x88), lowerOdd3 = Avx512F.Shuffle4x128(q11, q15, 0xDD);
        Avx512F.Shuffle4x128(upperEven0, lowerEven0, 0x88).Store(target + 0 * targetStride);
        Avx512F.Shuffle4x128(upperOdd0, lowerOdd0, 0x88).Store(target + 4 * targetStride);
        Avx512F.Shuffle4x128(upperEven0, lowerEven0, 0xDD).Store(target + 8 * targetStride);
        Avx512F.Shuffle4x128(upperOdd0, lowerOdd0, 0xDD).Store(target + 12 * targetStride);
        Avx512F.Shuffle4x128(upperEven1, lowerEven1, 0x88).Store(target + 1 * targetStride);
        Avx512F.Shuffle4x128(upperOdd1, lowerOdd1, 0x88).Store(target + 5 * targetStride);
        Avx512F.Shuffle4x128(upperEven1, lowerEven1, 0xDD).Store(target + 9 * targetStride);
        Avx512F.Shuffle4x128(upperOdd1, lowerOdd1, 0xDD).Store(target + 13 * targetStride);
        Avx512F.Shuffle4x128(upperEven2, lowerEven2, 0x88).Store(target + 2 * targetStride);
        Avx512F.Shuffle4x128(upperOdd2, lowerOdd2, 0x88).Store(target + 6 * targetStride);
        Avx512F.Shuffle4x128(upperEven2, lowerEven2, 0xDD).Store(target + 10 * targetStride);
        Avx512F.Shuffle4x128(upperOdd2, lowerOdd2, 0xDD).Store(target + 14 * targetStride);
        Avx512F.Shuffle4x128(upperEven3, lowerEven3, 0x88).Store(target + 3 * targetStride);
        Avx512F.Shuffle4x128(upperOdd3, lowerOdd3, 0x88).Store(target + 7 * targetStride);
        Avx512F.Shuffle4x128(upperEven3, lowerEven3, 0xDD).Store(target + 11 * targetStride);
        Avx512F.Shuffle4x128(upperOdd3, lowerOdd3, 0xDD).Store(target + 15 * targetStride);
    }

    /// <summary>Transposes <paramref name="lanes"/> rows of 8 doubles (missing rows read as zero) into 8 rows of 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(double* source, long sourceStride, int lanes, double* target, long targetStride)
    {
        Vector512<double> r0 = 0 < lanes ? Vector512.Load(source + 0 * sourceStride) : Vector512<double>.Zero;
        Vector512<double> r1 = 1 < lanes ? Vector512.Load(source + 1 * sourceStride) : Vector512<double>.Zero;
        Vector512<double> r2 = 2 < lanes ? Vector512.Load(source + 2 * sourceStride) : Vector512<double>.Zero;
        Vector512<double> r3 = 3 < lanes ? Vector512.Load(source + 3 * sourceStride) : Vector512<double>.Zero;
        Vector512<double> r4 = 4 < lanes ? Vector512.Load(source + 4 * sourceStride) : Vector512<double>.Zero;
        Vector512<double> r5 = 5 < lanes ? Vector512.Load(source + 5 * sourceStride) : Vector512<double>.Zero;
        Vector512<double> r6 = 6 < lanes ? Vector512.Load(source + 6 * sourceStride) : Vector512<double>.Zero;
        Vector512<double> r7 = 7 < lanes ? Vector512.Load(source + 7 * sourceStride) : Vector512<double>.Zero;
        // p(2j + c) holds, in each 128-bit lane l, column 2l + c of rows 2j, 2j+1.
        Vector512<double> p0 = Avx512F.UnpackLow(r0, r1), p1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<double> p2 = Avx512F.UnpackLow(r2, r3), p3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<double> p4 = Avx512F.UnpackLow(r4, r5), p5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<double> p6 = Avx512F.UnpackLow(r6, r7), p7 = Avx512F.UnpackHigh(r6, r7);
        Vector512<double> upperEven0 = Avx512F.Shuffle4x128(p0, p2, 0x88), upperOdd0 = Avx512F.Shuffle4x128(p0, p2, 0xDD);
        Vector512<double> lowerEven0 = Avx512F.Shuffle4x128(p4, p6, 0x88), lowerOdd0 = Avx512F.Shuffle4x128(p4, p6, 0xDD);
        Vector512<double> upperEven1 = Avx512F.Shuffle4x128(p1, p3, 0x88), upperOdd1 = Avx512F.Shuffle4x128(p1, p3, 0xDD);
        Vector512<double> lowerEven1 = Avx512F.Shuffle4x128(p5, p7, 0x88), lowerOdd1 = Avx512F.Shuffle4x128(p5, p7, 0xDD);
        Avx512F.Shuffle4x128(upperEven0, lowerEven0, 0x88).Store(target + 0 * targetStride);
        Avx512F.Shuffle4x128(upperOdd0, lowerOdd0, 0x88).Store(target + 2 * targetStride);
        Avx512F.Shuffle4x128(upperEven0, lowerEven0, 0xDD).Store(target + 4 * targetStride);
        Avx512F.Shuffle4x128(upperOdd0, lowerOdd0, 0xDD).Store(target + 6 * targetStride);
        Avx512F.Shuffle4x128(upperEven1, lowerEven1, 0x88).Store(target + 1 * targetStride);
        Avx512F.Shuffle4x128(upperOdd1, lowerOdd1, 0x88).Store(target + 3 * targetStride);
        Avx512F.Shuffle4x128(upperEven1, lowerEven1, 0xDD).Store(target + 5 * targetStride);
        Avx512F.Shuffle4x128(upperOdd1, lowerOdd1, 0xDD).Store(target + 7 * targetStride);
    }
}
