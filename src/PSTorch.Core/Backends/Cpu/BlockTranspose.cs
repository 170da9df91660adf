using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// A 16 x 16 float block transposed in zmm registers: 64 shuffles for 256 values, where element-by-element copying
/// costs a load and a store each (it was a twentieth of conv2's weight gradient).
/// </summary>
internal static unsafe class BlockTranspose
{
    public const int Size = 16;

    /// <summary>destination[j * destinationStride + i] = source[i * sourceStride + j] for i, j below 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Float16x16(float* source, long sourceStride, float* destination, long destinationStride)
    {
        // rows 4g..4g+3 interleaved twice: u[4g + m] holds, in 128-bit lane k, column 4k + m of those four rows
        var u = stackalloc Vector512<float>[Size];
        for (int g = 0; g < 4; g++)
        {
            float* r = source + 4 * g * sourceStride;
            Vector512<float> r0 = Vector512.Load(r), r1 = Vector512.Load(r + sourceStride), r2 = Vector512.Load(r + 2 * sourceStride), r3 = Vector512.Load(r + 3 * sourceStride);
            Vector512<double> t0 = Avx512F.UnpackLow(r0, r1).AsDouble(), t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
            Vector512<double> t2 = Avx512F.UnpackLow(r2, r3).AsDouble(), t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();
            u[4 * g] = Avx512F.UnpackLow(t0, t2).AsSingle();
            u[4 * g + 1] = Avx512F.UnpackHigh(t0, t2).AsSingle();
            u[4 * g + 2] = Avx512F.UnpackLow(t1, t3).AsSingle();
            u[4 * g + 3] = Avx512F.UnpackHigh(t1, t3).AsSingle();
        }
        // column 4k + m is lane k of u[m], u[4 + m], u[8 + m], u[12 + m]: a 4 x 4 transpose of 128-bit lanes
        for (int m = 0; m < 4; m++)
        {
            Vector512<float> v0 = Avx512F.Shuffle4x128(u[m], u[4 + m], 0x44), v1 = Avx512F.Shuffle4x128(u[m], u[4 + m], 0xEE);
            Vector512<float> v2 = Avx512F.Shuffle4x128(u[8 + m], u[12 + m], 0x44), v3 = Avx512F.Shuffle4x128(u[8 + m], u[12 + m], 0xEE);
            Avx512F.Shuffle4x128(v0, v2, 0x88).Store(destination + m * destinationStride);
            Avx512F.Shuffle4x128(v0, v2, 0xDD).Store(destination + (4 + m) * destinationStride);
            Avx512F.Shuffle4x128(v1, v3, 0x88).Store(destination + (8 + m) * destinationStride);
            Avx512F.Shuffle4x128(v1, v3, 0xDD).Store(destination + (12 + m) * destinationStride);
        }
    }
}
