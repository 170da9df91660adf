using PSTorch.Backends.Cpu;
using Xunit;

namespace PSTorch.Tests.Cpu;

public unsafe class GemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 },
        { 1, 3, 1 },
        { 3, 1, 3 },
        { 7, 13, 5 },
        { 33, 65, 17 },
        { 100, 300, 50 },
        { 257, 129, 511 },
        { 1, 300, 200 },
        { 200, 1, 300 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SgemmMatchesReferenceForEveryTransposeAndAccumulateMode(int m, int n, int k)
    {
        foreach (bool transposeA in new[] { false, true })
            foreach (bool transposeB in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                    CheckAgainstReference<float>(m, n, k, transposeA, transposeB, accumulate, seed: m * 31 + n * 7 + k);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DgemmMatchesReferenceForEveryTransposeAndAccumulateMode(int m, int n, int k)
    {
        foreach (bool transposeA in new[] { false, true })
            foreach (bool transposeB in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                    CheckAgainstReference<double>(m, n, k, transposeA, transposeB, accumulate, seed: m * 17 + n * 5 + k);
    }

    // Every row count a last (edge) tile can have, alone and under two full tiles; 64 columns fill whole tiles,
    // 70 leave a column edge as well.
    [Theory]
    [InlineData(64)]
    [InlineData(70)]
    public void EveryEdgeTileHeightMatchesReference(int n)
    {
        for (int rows = 1; rows <= 28; rows++)
            foreach (bool accumulate in new[] { false, true })
            {
                CheckAgainstReference<float>(rows, n, 37, transposeA: false, transposeB: false, accumulate, seed: rows * 3 + n);
                CheckAgainstReference<double>(rows, n, 37, transposeA: true, transposeB: false, accumulate, seed: rows * 5 + n);
            }
    }

    [Theory]
    [InlineData(512, 512, 512)]
    [InlineData(1000, 40, 300)]
    [InlineData(40, 1000, 300)]
    public void LargeProductsSplitAcrossThreadsMatchReference(int m, int n, int k)
    {
        CheckAgainstReference<float>(m, n, k, false, false, false, seed: 1);
        CheckAgainstReference<float>(m, n, k, true, true, true, seed: 2);
        CheckAgainstReference<double>(m, n, k, false, true, false, seed: 3);
    }

    [Fact]
    public void ProductsLargeEnoughToSharePackingMatchReference()
    {
        // Past n = 1024 cubed the parts of a column split pack A blocks together (several row and k blocks here).
        CheckAgainstReference<float>(1100, 1000, 1000, false, false, true, seed: 4);
    }

    [Fact]
    public void ConcurrentCallersAllGetCorrectResults()
    {
        // Only one caller at a time gets the helper threads; the others must fall back to their own thread.
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, call =>
            CheckAgainstReference<float>(200, 150, 180, call % 2 == 0, call % 3 == 0, call % 4 == 0, seed: 100 + call));
    }

    [Fact]
    public void ArbitraryStridesAndPaddedOutputRowsAreRespected()
    {
        const int m = 19, n = 37, k = 23, ldc = 41;
        var random = new Random(5);
        // A and B as every-other-element views of larger buffers; C rows padded; padding must stay untouched.
        float[] a = RandomArray<float>(random, m * k * 2);
        float[] b = RandomArray<float>(random, k * n * 3);
        float[] c = new float[m * ldc];
        Array.Fill(c, 42f);
        fixed (float* pa = a, pb = b, pc = c)
            Gemm.Sgemm(m, n, k, pa, 2 * k, 2, pb, 3, 3 * k, pc, ldc, accumulate: false);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = 0;
                for (int p = 0; p < k; p++)
                    expected += (double)a[i * 2 * k + p * 2] * b[p * 3 + j * 3 * k];
                Assert.True(Math.Abs(c[i * ldc + j] - expected) <= 1e-4, $"C[{i},{j}] = {c[i * ldc + j]}, expected {expected}");
            }
            for (int j = n; j < ldc; j++)
                Assert.Equal(42f, c[i * ldc + j]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmptyInnerDimensionClearsOrKeepsC(bool accumulate)
    {
        float[] c = { 1, 2, 3, 4, 5, 6 };
        fixed (float* pc = c)
            Gemm.Sgemm(2, 3, 0, null, 0, 1, null, 3, 1, pc, 3, accumulate);
        Assert.Equal(accumulate ? new float[] { 1, 2, 3, 4, 5, 6 } : new float[6], c);
    }

    [Fact]
    public void EmptyOuterDimensionsTouchNothing()
    {
        float[] c = { 7, 7, 7 };
        float[] a = { 1, 1, 1 };
        fixed (float* pa = a, pc = c)
        {
            Gemm.Sgemm(0, 3, 1, pa, 1, 1, pa, 3, 1, pc, 3, accumulate: false);
            Gemm.Sgemm(1, 0, 1, pa, 1, 1, pa, 3, 1, pc, 3, accumulate: false);
        }
        Assert.Equal(new float[] { 7, 7, 7 }, c);
    }

    [Fact]
    public void ReferenceCheckDetectsAWrongProduct()
    {
        // Guards the guard: the tolerance used above must be far tighter than a single wrong term.
        const int m = 33, n = 65, k = 17;
        var random = new Random(9);
        float[] a = RandomArray<float>(random, m * k), b = RandomArray<float>(random, k * n);
        float[] c = new float[m * n];
        fixed (float* pa = a, pb = b, pc = c)
            Gemm.Sgemm(m, n, k, pa, k, 1, pb, n, 1, pc, n, accumulate: false);
        c[5 * n + 7] += 1e-3f;
        Assert.False(MatchesReference(a, k, 1, b, n, 1, new float[m * n], c, m, n, k, accumulate: false, out _));
    }

    private static void CheckAgainstReference<T>(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        T[] a = RandomArray<T>(random, m * k), b = RandomArray<T>(random, k * n);
        T[] initialC = RandomArray<T>(random, m * n);
        T[] c = (T[])initialC.Clone();
        long aRowStride = transposeA ? 1 : k, aColStride = transposeA ? m : 1;
        long bRowStride = transposeB ? 1 : n, bColStride = transposeB ? k : 1;
        fixed (T* pa = a, pb = b, pc = c)
        {
            if (typeof(T) == typeof(float))
                Gemm.Sgemm(m, n, k, (float*)pa, aRowStride, aColStride, (float*)pb, bRowStride, bColStride, (float*)pc, n, accumulate);
            else
                Gemm.Dgemm(m, n, k, (double*)pa, aRowStride, aColStride, (double*)pb, bRowStride, bColStride, (double*)pc, n, accumulate);
        }
        Assert.True(MatchesReference(a, aRowStride, aColStride, b, bRowStride, bColStride, initialC, c, m, n, k, accumulate, out string detail),
            $"{typeof(T).Name} m={m} n={n} k={k} transposeA={transposeA} transposeB={transposeB} accumulate={accumulate}: {detail}");
    }

    private static bool MatchesReference<T>(T[] a, long aRowStride, long aColStride, T[] b, long bRowStride, long bColStride,
        T[] initialC, T[] c, int m, int n, int k, bool accumulate, out string detail)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        double epsilon = double.CreateChecked(T.BitIncrement(T.One) - T.One);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = accumulate ? double.CreateChecked(initialC[i * n + j]) : 0;
                double magnitude = Math.Abs(expected);
                for (int p = 0; p < k; p++)
                {
                    double term = double.CreateChecked(a[i * aRowStride + p * aColStride]) * double.CreateChecked(b[p * bRowStride + j * bColStride]);
                    expected += term;
                    magnitude += Math.Abs(term);
                }
                // Blocked summation error grows like sqrt(k) eps times the sum of |terms|; 4x for headroom.
                double tolerance = 4 * Math.Sqrt(k + 1) * epsilon * magnitude + double.Epsilon;
                double actual = double.CreateChecked(c[i * n + j]);
                if (!(Math.Abs(actual - expected) <= tolerance))
                {
                    detail = $"C[{i},{j}] = {actual}, expected {expected} (tolerance {tolerance})";
                    return false;
                }
            }
        }
        detail = "";
        return true;
    }

    private static T[] RandomArray<T>(Random random, int length) where T : System.Numerics.INumberBase<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
            values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return values;
    }
}
