using System.Numerics;
using System.Numerics.Tensors;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// GEMMs that are really matrix-vector products (m = 1 or n = 1). Packing would copy the whole
/// matrix to use one row or column of each register tile; streaming it once through vectorised
/// dot products or multiply-adds is several times faster.
/// </summary>
internal static unsafe class GemmVectorCases
{
    /// <summary>Runs the product if it is a matrix-vector product with the layout these loops need; otherwise returns false.</summary>
    public static bool TryRun<T>(in GemmProblem<T> problem) where T : unmanaged, INumber<T>
    {
        int n = problem.N, k = problem.K;
        if (problem.M == 1 && problem.BColumnStride == 1)
        {
            // Row vector times row-major B: C += a[p] * (row p of B), one contiguous multiply-add per p.
            var c = new Span<T>(problem.C, n);
            if (!problem.Accumulate)
                c.Clear();
            for (int p = 0; p < k; p++)
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(problem.B + p * problem.BRowStride, n), problem.A[p * problem.AColumnStride], c, c);
            return true;
        }
        if (problem.M == 1 && problem.AColumnStride == 1 && problem.BRowStride == 1)
        {
            // Row vector times column-major B: one dot product per contiguous column of B.
            var a = new ReadOnlySpan<T>(problem.A, k);
            for (int j = 0; j < n; j++)
                Store(ref problem.C[j], TensorPrimitives.Dot(a, new ReadOnlySpan<T>(problem.B + j * problem.BColumnStride, k)), problem.Accumulate);
            return true;
        }
        if (n == 1 && problem.AColumnStride == 1 && problem.BRowStride == 1)
        {
            // Row-major A times a column vector: one dot product per contiguous row of A.
            var b = new ReadOnlySpan<T>(problem.B, k);
            for (int i = 0; i < problem.M; i++)
                Store(ref problem.C[i * problem.Ldc], TensorPrimitives.Dot(new ReadOnlySpan<T>(problem.A + i * problem.ARowStride, k), b), problem.Accumulate);
            return true;
        }
        return false;
    }

    private static void Store<T>(ref T target, T value, bool accumulate) where T : INumber<T>
        => target = accumulate ? target + value : value;
}
