using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// The cache-blocked GEMM loop nest (BLIS/GotoBLAS order) for one rectangle of C:
/// for each nc-wide column block and kc-deep slice, B is packed once (it stays in L3/L2), then for
/// each mc-tall row block A is packed (it stays in L2) and the micro-kernel sweeps the tiles, each
/// kc x NR micro-panel of B being reused from L1/L2 by every MR-row micro-panel of A.
/// Packing buffers are per thread, allocated once and grown only when a larger block is needed.
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmBlocked<T> where T : unmanaged, INumber<T>
{
    private enum KernelKind { Avx512, Avx2, Scalar }

    // Measured on Zen 5: a deep kc (B micro-panel of 64 KiB, streamed from L2) beats an L1-sized one,
    // because it halves how often each C tile is loaded and stored.
    private const int KcMax = 512;
    private const int ABlockBytes = 384 * 1024;
    private const int BBlockBytes = 4 * 1024 * 1024;
    private const int BufferAlignment = 64;

    private static readonly KernelKind Kernel =
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? KernelKind.Avx512
        : Fma.IsSupported && Vector256.IsHardwareAccelerated ? KernelKind.Avx2
        : KernelKind.Scalar;

    /// <summary>Rows of C computed by one micro-kernel call (MR).</summary>
    public static readonly int TileRows = Kernel switch
    {
        KernelKind.Avx512 => GemmKernels.Avx512Rows,
        KernelKind.Avx2 => GemmKernels.Avx2Rows,
        _ => GemmKernels.ScalarRows,
    };

    /// <summary>Values per k step in a packed A panel: MR, or MR rounded up to whole vectors so packing stores stay aligned.</summary>
    private static readonly int TileRowPitch = Kernel == KernelKind.Avx512 ? GemmKernels.Avx512RowPitch : TileRows;

    /// <summary>Columns of C computed by one micro-kernel call (NR).</summary>
    public static readonly int TileColumns = Kernel switch
    {
        KernelKind.Avx512 => 2 * Vector512<T>.Count,
        KernelKind.Avx2 => 2 * Vector256<T>.Count,
        _ => GemmKernels.ScalarColumns,
    };

    [ThreadStatic] private static T* _packedA;
    [ThreadStatic] private static long _packedACapacity;
    [ThreadStatic] private static T* _packedB;
    [ThreadStatic] private static long _packedBCapacity;

    [ThreadStatic] private static T* _sharedA;
    [ThreadStatic] private static long _sharedACapacity;

    /// <summary>Whether a part of <paramref name="columns"/> columns runs as a single column block, as shared A packing requires.</summary>
    public static bool FitsOneColumnBlock(int rows, int columns, int k) => Plan(rows, columns, k).Nc >= columns;

    /// <summary>The calling thread's double buffer for A blocks shared by the parts of a column split.</summary>
    public static T* EnsureSharedABuffers(int rows, int k, out long bufferElements)
    {
        bufferElements = Plan(rows, TileColumns, k).ABlockElements;
        return EnsureBuffer(ref _sharedA, ref _sharedACapacity, 2 * bufferElements);
    }

    /// <summary>
    /// Computes rows [rowStart, rowEnd) x columns [columnStart, columnEnd) of C. With <paramref name="sharing"/>,
    /// this is part <paramref name="part"/> of a column split whose parts pack each A block together.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmProblem<T> problem, int rowStart, int rowEnd, int columnStart, int columnEnd,
        GemmSharedPacking* sharing = null, int part = 0)
    {
        int k = problem.K, mr = TileRows, nr = TileColumns, aPitch = TileRowPitch;
        (int kc, int mc, int nc, long aBlockElements) = Plan(rowEnd - rowStart, columnEnd - columnStart, k);
        T* ownA = sharing == null ? EnsureBuffer(ref _packedA, ref _packedACapacity, aBlockElements) : null;
        T* packedB = EnsureBuffer(ref _packedB, ref _packedBCapacity, (long)nc * kc);
        T* edgeTile = stackalloc T[mr * nr];
        int aBlockIndex = 0;

        for (int jc = columnStart; jc < columnEnd; jc += nc)
        {
            int ncCurrent = Math.Min(nc, columnEnd - jc);
            for (int pc = 0; pc < k; pc += kc)
            {
                int kcCurrent = Math.Min(kc, k - pc);
                bool accumulate = problem.Accumulate || pc > 0;
                GemmPacking.PackBlock(problem.B + pc * problem.BRowStride + jc * problem.BColumnStride,
                    problem.BColumnStride, problem.BRowStride, ncCurrent, kcCurrent, nr, nr, packedB);
                for (int ic = rowStart; ic < rowEnd; ic += mc)
                {
                    int mcCurrent = Math.Min(mc, rowEnd - ic);
                    T* aSource = problem.A + ic * problem.ARowStride + pc * problem.AColumnStride;
                    T* packedA;
                    if (sharing == null)
                    {
                        packedA = ownA;
                        GemmPacking.PackBlock(aSource, problem.ARowStride, problem.AColumnStride, mcCurrent, kcCurrent, mr, aPitch, packedA);
                    }
                    else
                    {
                        packedA = (T*)sharing->ABuffers + (aBlockIndex++ & 1) * sharing->BufferElements;
                        int panels = DivideRoundingUp(mcCurrent, mr);
                        int firstPanel = panels * part / sharing->Parts, endPanel = panels * (part + 1) / sharing->Parts;
                        int firstRow = firstPanel * mr, endRow = Math.Min(mcCurrent, endPanel * mr);
                        if (firstRow < endRow)
                        {
                            GemmPacking.PackBlock(aSource + firstRow * problem.ARowStride, problem.ARowStride, problem.AColumnStride,
                                endRow - firstRow, kcCurrent, mr, aPitch, packedA + (long)firstPanel * aPitch * kcCurrent);
                        }
                        sharing->ArriveAndWait();
                    }
                    MacroKernel(kcCurrent, mcCurrent, ncCurrent, packedA, packedB,
                        problem.C + ic * problem.Ldc + jc, problem.Ldc, accumulate, edgeTile);
                }
            }
        }
    }

    /// <summary>Block sizes for a rectangle: kc x nc of B and mc x kc of A per packing step.</summary>
    private static (int Kc, int Mc, int Nc, long ABlockElements) Plan(int rows, int columns, int k)
    {
        int mr = TileRows, nr = TileColumns;
        // Near-equal blocks rather than full blocks plus a sliver (k = 784 becomes 400 + 384, not 512 + 272),
        // kc kept a multiple of 16 so the transposing packer covers whole blocks.
        int kc = Math.Min(k, RoundUp(DivideRoundingUp(k, DivideRoundingUp(k, KcMax)), 16));
        int mcMax = Math.Max(mr, ABlockBytes / (kc * sizeof(T)) / TileRowPitch * mr);
        int mc = RoundUp(DivideRoundingUp(rows, DivideRoundingUp(rows, mcMax)), mr);
        int ncMax = Math.Max(nr, BBlockBytes / (kc * sizeof(T)) / nr * nr);
        int nc = RoundUp(DivideRoundingUp(columns, DivideRoundingUp(columns, ncMax)), nr);
        return (kc, mc, nc, (long)mc / mr * TileRowPitch * kc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel(int kc, int mc, int nc, T* packedA, T* packedB, T* c, long ldc, bool accumulate, T* edgeTile)
    {
        int mr = TileRows, nr = TileColumns;
        for (int jr = 0; jr < nc; jr += nr)
        {
            T* bPanel = packedB + (long)jr * kc;
            int validColumns = Math.Min(nr, nc - jr);
            for (int ir = 0; ir < mc; ir += mr)
            {
                T* aPanel = packedA + (long)(ir / mr) * TileRowPitch * kc;
                T* cTile = c + ir * ldc + jr;
                int validRows = Math.Min(mr, mc - ir);
                // the AVX-512 kernel computes short tiles exactly; the others compute the padded tile
                int computedRows = Kernel == KernelKind.Avx512 ? validRows : mr;
                if (validColumns == nr && computedRows == validRows)
                {
                    Tile(validRows, kc, aPanel, bPanel, cTile, ldc, accumulate);
                }
                else
                {
                    // Edge tile: compute it aside, then merge only the part inside C.
                    Tile(computedRows, kc, aPanel, bPanel, edgeTile, nr, false);
                    for (int i = 0; i < validRows; i++)
                    {
                        T* target = cTile + i * ldc;
                        T* source = edgeTile + i * nr;
                        for (int j = 0; j < validColumns; j++)
                            target[j] = accumulate ? target[j] + source[j] : source[j];
                    }
                }
            }
        }
    }

    /// <summary>One tile; only the AVX-512 kernel computes fewer than <see cref="TileRows"/> rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(int rows, int kc, T* aPanel, T* bPanel, T* c, long ldc, bool accumulate)
    {
        switch (Kernel)
        {
            case KernelKind.Avx512:
                GemmKernels.Avx512Tile(rows, kc, aPanel, bPanel, c, ldc, accumulate);
                break;
            case KernelKind.Avx2:
                GemmKernels.Avx2Tile(kc, aPanel, bPanel, c, ldc, accumulate);
                break;
            default:
                GemmKernels.ScalarTile(kc, aPanel, bPanel, c, ldc, accumulate);
                break;
        }
    }

    private static T* EnsureBuffer(ref T* buffer, ref long capacity, long elements)
    {
        if (elements > capacity)
        {
            NativeMemory.AlignedFree(buffer);
            buffer = (T*)NativeMemory.AlignedAlloc((nuint)(elements * sizeof(T)), BufferAlignment);
            capacity = elements;
        }
        return buffer;
    }

    private static int DivideRoundingUp(int value, int divisor) => (value + divisor - 1) / divisor;

    private static int RoundUp(int value, int multiple) => DivideRoundingUp(value, multiple) * multiple;
}
