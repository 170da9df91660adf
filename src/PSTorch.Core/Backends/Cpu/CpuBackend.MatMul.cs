using System.Numerics;

namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void BatchedMatMul(Tensor dst, Tensor a, Tensor b, bool accumulate = false)
    {
        switch (dst.DType)
        {
            case DType.Float32: Batches<float>(dst, a, b, accumulate, &Gemm.Sgemm); break;
            case DType.Float64: Batches<double>(dst, a, b, accumulate, &Gemm.Dgemm); break;
            case DType.Float16:
            case DType.BFloat16:
                // half precision: multiply in float32, round the result once
                var f = accumulate ? dst.To(DType.Float32, copy: true) : Tensor.Empty(dst.ShapeRef, DType.Float32, dst.Device);
                Batches<float>(f, a.To(DType.Float32), b.To(DType.Float32), accumulate, &Gemm.Sgemm);
                Copy(dst, f);
                break;
            case DType.Int64: Batches<long>(dst, a, b, accumulate, &NaiveGemm<long>); break;
            case DType.Int32: Batches<int>(dst, a, b, accumulate, &NaiveGemm<int>); break;
            case DType.Int16: Batches<short>(dst, a, b, accumulate, &NaiveGemm<short>); break;
            case DType.Int8: Batches<sbyte>(dst, a, b, accumulate, &NaiveGemm<sbyte>); break;
            case DType.UInt8: Batches<byte>(dst, a, b, accumulate, &NaiveGemm<byte>); break;
            default: throw new NotSupportedException($"\"addmm_impl_cpu_\" not implemented for '{dst.DType.LegacyName()}'");
        }
    }

    static void Batches<T>(Tensor dst, Tensor a, Tensor b, bool accumulate,
        delegate*<int, int, int, T*, long, long, T*, long, long, T*, long, bool, void> gemm) where T : unmanaged
    {
        var ds = dst.ShapeRef; var ast = a.StridesRef; var bst = b.StridesRef;
        long batch = ds[0];
        int m = checked((int)ds[1]), n = checked((int)ds[2]), k = checked((int)a.ShapeRef[2]);
        T* pa = a.Ptr<T>(), pb = b.Ptr<T>(), pc = dst.Ptr<T>();
        for (long i = 0; i < batch; i++)
            gemm(m, n, k, pa + i * ast[0], ast[1], ast[2], pb + i * bst[0], bst[1], bst[2], pc + i * m * n, n, accumulate);
    }

    /// <summary>Integer matrix products (exact, wrapping like C); rare enough that a plain loop serves.</summary>
    static void NaiveGemm<T>(int m, int n, int k, T* a, long ars, long acs, T* b, long brs, long bcs, T* c, long ldc, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T s = accumulate ? c[i * ldc + j] : T.Zero;
                for (int p = 0; p < k; p++) s += a[i * ars + p * acs] * b[p * brs + j * bcs];
                c[i * ldc + j] = s;
            }
    }
}
