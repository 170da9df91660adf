namespace PSTorch.Backends.Cpu;

/// <summary>
/// One GEMM call's operands: C (m x n, row stride Ldc) = (Accumulate ? C : 0) + A (m x k) * B (k x n),
/// with A and B addressed through arbitrary element strides so transposed views need no copy.
/// </summary>
internal readonly unsafe struct GemmProblem<T> where T : unmanaged
{
    public readonly int M, N, K;
    public readonly T* A;
    public readonly long ARowStride, AColumnStride;
    public readonly T* B;
    public readonly long BRowStride, BColumnStride;
    public readonly T* C;
    public readonly long Ldc;
    public readonly bool Accumulate;

    public GemmProblem(int m, int n, int k, T* a, long aRowStride, long aColumnStride,
        T* b, long bRowStride, long bColumnStride, T* c, long ldc, bool accumulate)
    {
        M = m;
        N = n;
        K = k;
        A = a;
        ARowStride = aRowStride;
        AColumnStride = aColumnStride;
        B = b;
        BRowStride = bRowStride;
        BColumnStride = bColumnStride;
        C = c;
        Ldc = ldc;
        Accumulate = accumulate;
    }
}
