using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Register-blocked GEMM micro-kernels. Each computes one MR x NR tile of C from a packed A
/// micro-panel (kc steps of MR values) and a packed B micro-panel (kc steps of NR values):
/// C_tile = (accumulate ? C_tile : 0) + A_panel * B_panel. The accumulators stay in registers
/// for the whole k loop, which is what makes the kernel compute-bound rather than memory-bound.
/// </summary>
internal static unsafe class GemmKernels
{
    /// <summary>Rows of the AVX-512 tile: 14 x 2 zmm accumulators + 2 B vectors fill 30 of the 32 zmm registers.</summary>
    public const int Avx512Rows = 14;

    /// <summary>Values per k step in the AVX-512 kernel's packed A panel: 14 rounded up to whole vectors of float or double.</summary>
    public const int Avx512RowPitch = 16;

    /// <summary>Rows of the AVX2 tile: 6 x 2 ymm accumulators + 2 B vectors + 1 broadcast fit in 16 ymm registers.</summary>
    public const int Avx2Rows = 6;

    /// <summary>Tile of the portable fallback kernel.</summary>
    public const int ScalarRows = 4, ScalarColumns = 4;

    /// <summary>
    /// One AVX-512 tile of <paramref name="rows"/> (1..14) rows by 2 vectors: an edge tile of a few rows runs only
    /// those rows' multiply-adds, instead of a full 14-row tile computed aside and partly copied (m = 64, as in a
    /// batch-64 MLP, is 4 x 14 + 8: the padded tile wasted 9 % of the work).
    /// </summary>
    public static void Avx512Tile<T>(int rows, int kc, T* a, T* b, T* c, long ldc, bool accumulate) where T : unmanaged
    {
        switch (rows)
        {
            case 14: Avx512Tile<T, Height14>(kc, a, b, c, ldc, accumulate); break;
            case 13: Avx512Tile<T, Height13>(kc, a, b, c, ldc, accumulate); break;
            case 12: Avx512Tile<T, Height12>(kc, a, b, c, ldc, accumulate); break;
            case 11: Avx512Tile<T, Height11>(kc, a, b, c, ldc, accumulate); break;
            case 10: Avx512Tile<T, Height10>(kc, a, b, c, ldc, accumulate); break;
            case 9: Avx512Tile<T, Height9>(kc, a, b, c, ldc, accumulate); break;
            case 8: Avx512Tile<T, Height8>(kc, a, b, c, ldc, accumulate); break;
            case 7: Avx512Tile<T, Height7>(kc, a, b, c, ldc, accumulate); break;
            case 6: Avx512Tile<T, Height6>(kc, a, b, c, ldc, accumulate); break;
            case 5: Avx512Tile<T, Height5>(kc, a, b, c, ldc, accumulate); break;
            case 4: Avx512Tile<T, Height4>(kc, a, b, c, ldc, accumulate); break;
            case 3: Avx512Tile<T, Height3>(kc, a, b, c, ldc, accumulate); break;
            case 2: Avx512Tile<T, Height2>(kc, a, b, c, ldc, accumulate); break;
            case 1: Avx512Tile<T, Height1>(kc, a, b, c, ldc, accumulate); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "An AVX-512 tile has 1 to 14 rows");
        }
    }

    /// <summary>The kernel for a tile of <typeparamref name="THeight"/> rows: the JIT compiles one body per height, dropping the rows past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx512Tile<T, THeight>(int kc, T* a, T* b, T* c, long ldc, bool accumulate) where T : unmanaged where THeight : struct, ITileHeight
    {
        Vector512<T> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default, c3a = default, c3b = default;
        Vector512<T> c4a = default, c4b = default, c5a = default, c5b = default, c6a = default, c6b = default, c7a = default, c7b = default;
        Vector512<T> c8a = default, c8b = default, c9a = default, c9b = default, c10a = default, c10b = default, c11a = default, c11b = default;
        Vector512<T> c12a = default, c12b = default, c13a = default, c13b = default;
        // Start fetching the C tile now so its cache misses overlap the k loop instead of stalling the stores.
        for (int row = 0; row < THeight.Rows; row++)
        {
            Sse.Prefetch0(c + row * ldc);
            Sse.Prefetch0(c + row * ldc + 2 * Vector512<T>.Count - 1);
        }
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b);
            Vector512<T> b1 = Vector512.Load(b + Vector512<T>.Count);
            Vector512<T> a0 = Vector512.Create(a[0]);
            c0a = MultiplyAdd(a0, b0, c0a);
            c0b = MultiplyAdd(a0, b1, c0b);
            if (THeight.Rows > 1)
            {
                Vector512<T> a1 = Vector512.Create(a[1]);
                c1a = MultiplyAdd(a1, b0, c1a);
                c1b = MultiplyAdd(a1, b1, c1b);
            }
            if (THeight.Rows > 2)
            {
                Vector512<T> a2 = Vector512.Create(a[2]);
                c2a = MultiplyAdd(a2, b0, c2a);
                c2b = MultiplyAdd(a2, b1, c2b);
            }
            if (THeight.Rows > 3)
            {
                Vector512<T> a3 = Vector512.Create(a[3]);
                c3a = MultiplyAdd(a3, b0, c3a);
                c3b = MultiplyAdd(a3, b1, c3b);
            }
            if (THeight.Rows > 4)
            {
                Vector512<T> a4 = Vector512.Create(a[4]);
                c4a = MultiplyAdd(a4, b0, c4a);
                c4b = MultiplyAdd(a4, b1, c4b);
            }
            if (THeight.Rows > 5)
            {
                Vector512<T> a5 = Vector512.Create(a[5]);
                c5a = MultiplyAdd(a5, b0, c5a);
                c5b = MultiplyAdd(a5, b1, c5b);
            }
            if (THeight.Rows > 6)
            {
                Vector512<T> a6 = Vector512.Create(a[6]);
                c6a = MultiplyAdd(a6, b0, c6a);
                c6b = MultiplyAdd(a6, b1, c6b);
            }
            if (THeight.Rows > 7)
            {
                Vector512<T> a7 = Vector512.Create(a[7]);
                c7a = MultiplyAdd(a7, b0, c7a);
                c7b = MultiplyAdd(a7, b1, c7b);
            }
            if (THeight.Rows > 8)
            {
                Vector512<T> a8 = Vector512.Create(a[8]);
                c8a = MultiplyAdd(a8, b0, c8a);
                c8b = MultiplyAdd(a8, b1, c8b);
            }
            if (THeight.Rows > 9)
            {
                Vector512<T> a9 = Vector512.Create(a[9]);
                c9a = MultiplyAdd(a9, b0, c9a);
                c9b = MultiplyAdd(a9, b1, c9b);
            }
            if (THeight.Rows > 10)
            {
                Vector512<T> a10 = Vector512.Create(a[10]);
                c10a = MultiplyAdd(a10, b0, c10a);
                c10b = MultiplyAdd(a10, b1, c10b);
            }
            if (THeight.Rows > 11)
            {
                Vector512<T> a11 = Vector512.Create(a[11]);
                c11a = MultiplyAdd(a11, b0, c11a);
                c11b = MultiplyAdd(a11, b1, c11b);
            }
            if (THeight.Rows > 12)
            {
                Vector512<T> a12 = Vector512.Create(a[12]);
                c12a = MultiplyAdd(a12, b0, c12a);
                c12b = MultiplyAdd(a12, b1, c12b);
            }
            if (THeight.Rows > 13)
            {
                Vector512<T> a13 = Vector512.Create(a[13]);
                c13a = MultiplyAdd(a13, b0, c13a);
                c13b = MultiplyAdd(a13, b1, c13b);
            }
            a += Avx512RowPitch;
            b += 2 * Vector512<T>.Count;
        }
        StoreRow(c, c0a, c0b, accumulate);
        if (THeight.Rows > 1) StoreRow(c + 1 * ldc, c1a, c1b, accumulate);
        if (THeight.Rows > 2) StoreRow(c + 2 * ldc, c2a, c2b, accumulate);
        if (THeight.Rows > 3) StoreRow(c + 3 * ldc, c3a, c3b, accumulate);
        if (THeight.Rows > 4) StoreRow(c + 4 * ldc, c4a, c4b, accumulate);
        if (THeight.Rows > 5) StoreRow(c + 5 * ldc, c5a, c5b, accumulate);
        if (THeight.Rows > 6) StoreRow(c + 6 * ldc, c6a, c6b, accumulate);
        if (THeight.Rows > 7) StoreRow(c + 7 * ldc, c7a, c7b, accumulate);
        if (THeight.Rows > 8) StoreRow(c + 8 * ldc, c8a, c8b, accumulate);
        if (THeight.Rows > 9) StoreRow(c + 9 * ldc, c9a, c9b, accumulate);
        if (THeight.Rows > 10) StoreRow(c + 10 * ldc, c10a, c10b, accumulate);
        if (THeight.Rows > 11) StoreRow(c + 11 * ldc, c11a, c11b, accumulate);
        if (THeight.Rows > 12) StoreRow(c + 12 * ldc, c12a, c12b, accumulate);
        if (THeight.Rows > 13) StoreRow(c + 13 * ldc, c13a, c13b, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx2Tile<T>(int kc, T* a, T* b, T* c, long ldc, bool accumulate) where T : unmanaged
    {
        Vector256<T> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default, c3a = default, c3b = default;
        Vector256<T> c4a = default, c4b = default, c5a = default, c5b = default;
        // Start fetching the C tile now so its cache misses overlap the k loop instead of stalling the stores.
        for (int row = 0; row < 6; row++)
        {
            Sse.Prefetch0(c + row * ldc);
            Sse.Prefetch0(c + row * ldc + 2 * Vector256<T>.Count - 1);
        }
        for (int p = 0; p < kc; p++)
        {
            Vector256<T> b0 = Vector256.Load(b);
            Vector256<T> b1 = Vector256.Load(b + Vector256<T>.Count);
            Vector256<T> a0 = Vector256.Create(a[0]);
            c0a = MultiplyAdd(a0, b0, c0a);
            c0b = MultiplyAdd(a0, b1, c0b);
            Vector256<T> a1 = Vector256.Create(a[1]);
            c1a = MultiplyAdd(a1, b0, c1a);
            c1b = MultiplyAdd(a1, b1, c1b);
            Vector256<T> a2 = Vector256.Create(a[2]);
            c2a = MultiplyAdd(a2, b0, c2a);
            c2b = MultiplyAdd(a2, b1, c2b);
            Vector256<T> a3 = Vector256.Create(a[3]);
            c3a = MultiplyAdd(a3, b0, c3a);
            c3b = MultiplyAdd(a3, b1, c3b);
            Vector256<T> a4 = Vector256.Create(a[4]);
            c4a = MultiplyAdd(a4, b0, c4a);
            c4b = MultiplyAdd(a4, b1, c4b);
            Vector256<T> a5 = Vector256.Create(a[5]);
            c5a = MultiplyAdd(a5, b0, c5a);
            c5b = MultiplyAdd(a5, b1, c5b);
            a += Avx2Rows;
            b += 2 * Vector256<T>.Count;
        }
        StoreRow(c + 0 * ldc, c0a, c0b, accumulate);
        StoreRow(c + 1 * ldc, c1a, c1b, accumulate);
        StoreRow(c + 2 * ldc, c2a, c2b, accumulate);
        StoreRow(c + 3 * ldc, c3a, c3b, accumulate);
        StoreRow(c + 4 * ldc, c4a, c4b, accumulate);
        StoreRow(c + 5 * ldc, c5a, c5b, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScalarTile<T>(int kc, T* a, T* b, T* c, long ldc, bool accumulate) where T : unmanaged, INumber<T>
    {
        T* tile = stackalloc T[ScalarRows * ScalarColumns];
        for (int i = 0; i < ScalarRows * ScalarColumns; i++)
            tile[i] = T.Zero;
        for (int p = 0; p < kc; p++)
        {
            for (int i = 0; i < ScalarRows; i++)
            {
                T ai = a[i];
                for (int j = 0; j < ScalarColumns; j++)
                    tile[i * ScalarColumns + j] += ai * b[j];
            }
            a += ScalarRows;
            b += ScalarColumns;
        }
        for (int i = 0; i < ScalarRows; i++)
        {
            for (int j = 0; j < ScalarColumns; j++)
            {
                T* target = c + i * ldc + j;
                *target = accumulate ? *target + tile[i * ScalarColumns + j] : tile[i * ScalarColumns + j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(T* row, Vector512<T> left, Vector512<T> right, bool accumulate) where T : unmanaged
    {
        if (accumulate)
        {
            left += Vector512.Load(row);
            right += Vector512.Load(row + Vector512<T>.Count);
        }
        left.Store(row);
        right.Store(row + Vector512<T>.Count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(T* row, Vector256<T> left, Vector256<T> right, bool accumulate) where T : unmanaged
    {
        if (accumulate)
        {
            left += Vector256.Load(row);
            right += Vector256.Load(row + Vector256<T>.Count);
        }
        left.Store(row);
        right.Store(row + Vector256<T>.Count);
    }

    // T is float or double (the only instantiations); the typeof tests are folded away by the JIT.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> MultiplyAdd<T>(Vector512<T> x, Vector512<T> y, Vector512<T> addend) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Avx512F.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Avx512F.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd<T>(Vector256<T> x, Vector256<T> y, Vector256<T> addend) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }
}

/// <summary>A tile height fixed at JIT time, so one kernel body serves every height.</summary>
internal interface ITileHeight
{
    static abstract int Rows { get; }
}

internal readonly struct Height1 : ITileHeight { public static int Rows => 1; }
internal readonly struct Height2 : ITileHeight { public static int Rows => 2; }
internal readonly struct Height3 : ITileHeight { public static int Rows => 3; }
internal readonly struct Height4 : ITileHeight { public static int Rows => 4; }
internal readonly struct Height5 : ITileHeight { public static int Rows => 5; }
internal readonly struct Height6 : ITileHeight { public static int Rows => 6; }
internal readonly struct Height7 : ITileHeight { public static int Rows => 7; }
internal readonly struct Height8 : ITileHeight { public static int Rows => 8; }
internal readonly struct Height9 : ITileHeight { public static int Rows => 9; }
internal readonly struct Height10 : ITileHeight { public static int Rows => 10; }
internal readonly struct Height11 : ITileHeight { public static int Rows => 11; }
internal readonly struct Height12 : ITileHeight { public static int Rows => 12; }
internal readonly struct Height13 : ITileHeight { public static int Rows => 13; }
internal readonly struct Height14 : ITileHeight { public static int Rows => 14; }
