using System.Numerics;
using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// CPU matrix multiply: C[i,j] = (accumulate ? C[i,j] : 0) + sum_p A[i,p] * B[p,j].
/// A is m x k at a[i*aRowStride + p*aColStride], B is k x n at b[p*bRowStride + j*bColStride]
/// (transposes are just swapped strides), C is m x n row-major with row stride ldc.
/// Tiny products run as plain loops and matrix-vector products as streaming vector loops; the rest
/// go through the packed, cache-blocked kernels, split over the cores once the work outweighs the
/// cost of waking the helpers.
/// </summary>
internal static unsafe class Gemm
{
    // Below this many multiply-adds, packing costs more than it saves.
    private const long DirectWorkLimit = 4 * 1024;
    // Below this many multiply-adds (~10 us on one core), one thread beats two.
    private const long ParallelWorkThreshold = 2L * 1024 * 1024;
    // Up to this many multiply-adds (n = 1024 cubed), parts packing A each on their own beat packing it together:
    // measured on Zen 5 with two parts, the per-block barriers cost more than the redundant packing saves
    // (n = 256: 0.092 ms alone vs 0.121 ms shared; n = 512: 0.66 vs 0.76 ms; n = 1024: 5.5 vs 7+ ms).
    private const long SharedPackingWorkThreshold = 1024L * 1024 * 1024;

    public static void Sgemm(int m, int n, int k, float* a, long aRowStride, long aColStride,
        float* b, long bRowStride, long bColStride, float* c, long ldc, bool accumulate)
        => Run(new GemmProblem<float>(m, n, k, a, aRowStride, aColStride, b, bRowStride, bColStride, c, ldc, accumulate));

    public static void Dgemm(int m, int n, int k, double* a, long aRowStride, long aColStride,
        double* b, long bRowStride, long bColStride, double* c, long ldc, bool accumulate)
        => Run(new GemmProblem<double>(m, n, k, a, aRowStride, aColStride, b, bRowStride, bColStride, c, ldc, accumulate));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T>(in GemmProblem<T> problem) where T : unmanaged, INumber<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(problem.M, "m");
        ArgumentOutOfRangeException.ThrowIfNegative(problem.N, "n");
        ArgumentOutOfRangeException.ThrowIfNegative(problem.K, "k");
        if (problem.M == 0 || problem.N == 0)
            return;
        if (problem.K == 0)
        {
            if (!problem.Accumulate)
                ClearC(problem);
            return;
        }

        long work = (long)problem.M * problem.N * problem.K;
        if (work <= DirectWorkLimit)
        {
            RunDirect(problem);
            return;
        }

        if ((problem.M == 1 || problem.N == 1) && GemmVectorCases.TryRun(problem))
            return;

        int parts = Math.Min(ThreadTeam.MaxParts, CpuThreads.Count);
        if (work >= ParallelWorkThreshold && parts > 1)
        {
            var job = new PartitionedProblem<T>(problem, parts);
            if (ThreadTeam.TryRun(&RunPart<T>, &job, parts))
                return;
        }
        GemmBlocked<T>.Run(problem, 0, problem.M, 0, problem.N);
    }

    /// <summary>A problem cut into equal runs of whole tiles along whichever of m and n leaves the busiest part the least work.</summary>
    private struct PartitionedProblem<T> where T : unmanaged, INumber<T>
    {
        public readonly GemmProblem<T> Problem;
        public readonly int Parts;
        public readonly bool SplitColumns;
        public readonly bool ShareA;
        public GemmSharedPacking Sharing;

        public PartitionedProblem(in GemmProblem<T> problem, int parts)
        {
            Problem = problem;
            Parts = parts;
            long rowTiles = DivideRoundingUp(problem.M, GemmBlocked<T>.TileRows);
            long columnTiles = DivideRoundingUp(problem.N, GemmBlocked<T>.TileColumns);
            long busiestWithColumnSplit = DivideRoundingUp(columnTiles, parts) * rowTiles;
            long busiestWithRowSplit = DivideRoundingUp(rowTiles, parts) * columnTiles;
            SplitColumns = busiestWithColumnSplit <= busiestWithRowSplit;
            // Every part must take part in every A block's barrier: each needs columns, and one column block.
            int widestPart = (int)Math.Min(problem.N, DivideRoundingUp(columnTiles, parts) * GemmBlocked<T>.TileColumns);
            ShareA = SplitColumns && (long)problem.M * problem.N * problem.K > SharedPackingWorkThreshold && columnTiles >= parts && GemmBlocked<T>.FitsOneColumnBlock(problem.M, widestPart, problem.K);
            if (ShareA)
            {
                T* buffers = GemmBlocked<T>.EnsureSharedABuffers(problem.M, problem.K, out long bufferElements);
                Sharing = new GemmSharedPacking(buffers, bufferElements, parts);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPart<T>(void* state, int part) where T : unmanaged, INumber<T>
    {
        var job = (PartitionedProblem<T>*)state;
        ref readonly GemmProblem<T> problem = ref job->Problem;
        if (job->SplitColumns)
        {
            (int start, int end) = PartRange(problem.N, GemmBlocked<T>.TileColumns, part, job->Parts);
            try
            {
                if (start < end)
                    GemmBlocked<T>.Run(problem, 0, problem.M, start, end, job->ShareA ? &job->Sharing : null, part);
            }
            catch when (job->ShareA)
            {
                job->Sharing.Abandon();
                throw;
            }
        }
        else
        {
            (int start, int end) = PartRange(problem.M, GemmBlocked<T>.TileRows, part, job->Parts);
            if (start < end)
                GemmBlocked<T>.Run(problem, start, end, 0, problem.N);
        }
    }

    private static (int Start, int End) PartRange(int length, int tile, int part, int parts)
    {
        long tiles = DivideRoundingUp(length, tile);
        int start = (int)Math.Min(length, tiles * part / parts * tile);
        int end = (int)Math.Min(length, tiles * (part + 1) / parts * tile);
        return (start, end);
    }

    private static void ClearC<T>(in GemmProblem<T> problem) where T : unmanaged
    {
        for (int i = 0; i < problem.M; i++)
            new Span<T>(problem.C + i * problem.Ldc, problem.N).Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunDirect<T>(in GemmProblem<T> problem) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < problem.M; i++)
        {
            T* aRow = problem.A + i * problem.ARowStride;
            T* cRow = problem.C + i * problem.Ldc;
            for (int j = 0; j < problem.N; j++)
            {
                T* bColumn = problem.B + j * problem.BColumnStride;
                T sum = problem.Accumulate ? cRow[j] : T.Zero;
                for (int p = 0; p < problem.K; p++)
                    sum += aRow[p * problem.AColumnStride] * bColumn[p * problem.BRowStride];
                cRow[j] = sum;
            }
        }
    }

    private static long DivideRoundingUp(long value, long divisor) => (value + divisor - 1) / divisor;
}
