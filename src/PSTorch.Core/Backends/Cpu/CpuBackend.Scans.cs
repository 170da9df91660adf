using System.Numerics;

namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Scan(ScanOp op, Tensor dst, Tensor? indices, Tensor src, long outer, long n, long inner)
    {
        if (dst.Numel() == 0) return;
        if (op is ScanOp.Max or ScanOp.Min)
        {
            ScanExtreme(op == ScanOp.Max, dst, indices!, src, outer, n, inner);
            return;
        }
        switch (dst.DType)
        {
            // PyTorch's CPU scans accumulate float32 in double (acc_type<float, false>).
            case DType.Float32: Accumulate<float, double>(op, dst.Ptr<float>(), src.Ptr<float>(), outer, n, inner); break;
            case DType.Float64: Accumulate<double, double>(op, dst.Ptr<double>(), src.Ptr<double>(), outer, n, inner); break;
            case DType.Float16: case DType.BFloat16:
                // the half types accumulate in float
                var f = Tensor.Empty(dst.ShapeRef, DType.Float32, dst.Device);
                Accumulate<float, float>(op, f.Ptr<float>(), src.To(DType.Float32).Ptr<float>(), outer, n, inner);
                Copy(dst, f);
                break;
            case DType.Int64 when op != ScanOp.LogSumExp: AccumulateInt64(op, dst.Ptr<long>(), src.Ptr<long>(), outer, n, inner); break;
            default: throw new NotSupportedException($"\"{op}\" scan not implemented for '{dst.DType.LegacyName()}'");
        }
    }

    static void Accumulate<T, TA>(ScanOp op, T* dst, T* src, long outer, long n, long inner)
        where T : unmanaged, INumber<T> where TA : unmanaged, IFloatingPointIeee754<TA>
    {
        switch (op)
        {
            case ScanOp.Sum: Accumulate<T, TA, SumStep<TA>>(dst, src, outer, n, inner); break;
            case ScanOp.Prod: Accumulate<T, TA, ProdStep<TA>>(dst, src, outer, n, inner); break;
            default: Accumulate<T, TA, LogAddExpStep<TA>>(dst, src, outer, n, inner); break;
        }
    }

    /// <summary>Every [o, :, :] block keeps one accumulator per inner position, so rows of the block are read in order.</summary>
    static void Accumulate<T, TA, TStep>(T* dst, T* src, long outer, long n, long inner)
        where T : unmanaged, INumber<T> where TA : unmanaged, INumber<TA> where TStep : IScanStep<TA>
    {
        ForBlocks(outer, n * inner, (first, end) =>
        {
            var acc = new TA[inner];
            for (long o = first; o < end; o++)
            {
                Array.Fill(acc, TStep.Identity);
                T* s = src + o * n * inner, d = dst + o * n * inner;
                for (long j = 0; j < n; j++, s += inner, d += inner)
                    for (long i = 0; i < inner; i++)
                        d[i] = T.CreateTruncating(acc[i] = TStep.Combine(acc[i], TA.CreateTruncating(s[i])));
            }
        });
    }

    /// <summary>int64 sums and products wrap on overflow like PyTorch's.</summary>
    static void AccumulateInt64(ScanOp op, long* dst, long* src, long outer, long n, long inner)
    {
        if (op == ScanOp.Prod) Accumulate<long, long, ProdStep<long>>(dst, src, outer, n, inner);
        else Accumulate<long, long, SumStep<long>>(dst, src, outer, n, inner);
    }

    interface IScanStep<TA>
    {
        static abstract TA Identity { get; }
        static abstract TA Combine(TA acc, TA x);
    }

    readonly struct SumStep<TA> : IScanStep<TA> where TA : INumber<TA>
    {
        public static TA Identity => TA.Zero;
        public static TA Combine(TA acc, TA x) => unchecked(acc + x);
    }

    readonly struct ProdStep<TA> : IScanStep<TA> where TA : INumber<TA>
    {
        public static TA Identity => TA.One;
        public static TA Combine(TA acc, TA x) => unchecked(acc * x);
    }

    readonly struct LogAddExpStep<TA> : IScanStep<TA> where TA : IFloatingPointIeee754<TA>
    {
        public static TA Identity => TA.NegativeInfinity;
        public static TA Combine(TA acc, TA x) => LogAddExp(acc, x);
    }

    /// <summary>log(exp(x) + exp(y)) without overflow; two equal infinities give that infinity.</summary>
    static TA LogAddExp<TA>(TA x, TA y) where TA : IFloatingPointIeee754<TA>
    {
        TA lo = TA.IsNaN(y) ? y : TA.Min(x, y), hi = TA.IsNaN(y) ? y : TA.Max(x, y);
        if (lo != hi || TA.IsFinite(lo)) return hi + TA.LogP1(TA.Exp(lo - hi));
        return x;
    }

    void ScanExtreme(bool max, Tensor dst, Tensor indices, Tensor src, long outer, long n, long inner)
    {
        switch (src.DType)
        {
            case DType.Float32: Extreme<float>(max, dst.Ptr<float>(), indices.Ptr<long>(), src.Ptr<float>(), outer, n, inner); break;
            case DType.Float64: Extreme<double>(max, dst.Ptr<double>(), indices.Ptr<long>(), src.Ptr<double>(), outer, n, inner); break;
            case DType.Float16: Extreme<Half>(max, dst.Ptr<Half>(), indices.Ptr<long>(), src.Ptr<Half>(), outer, n, inner); break;
            case DType.BFloat16:
                // float32 holds every bfloat16 exactly, so the running extremes convert back unchanged
                var f = Tensor.Empty(dst.ShapeRef, DType.Float32, dst.Device);
                Extreme<float>(max, f.Ptr<float>(), indices.Ptr<long>(), src.To(DType.Float32).Ptr<float>(), outer, n, inner);
                Copy(dst, f);
                break;
            case DType.Int64: Extreme<long>(max, dst.Ptr<long>(), indices.Ptr<long>(), src.Ptr<long>(), outer, n, inner); break;
            case DType.Int32: Extreme<int>(max, dst.Ptr<int>(), indices.Ptr<long>(), src.Ptr<int>(), outer, n, inner); break;
            case DType.Int16: Extreme<short>(max, dst.Ptr<short>(), indices.Ptr<long>(), src.Ptr<short>(), outer, n, inner); break;
            case DType.Int8: Extreme<sbyte>(max, dst.Ptr<sbyte>(), indices.Ptr<long>(), src.Ptr<sbyte>(), outer, n, inner); break;
            case DType.UInt8: case DType.Bool: Extreme<byte>(max, dst.Ptr<byte>(), indices.Ptr<long>(), src.Ptr<byte>(), outer, n, inner); break;
        }
    }

    /// <summary>PyTorch's cummax/cummin: x replaces the running extreme when it is NaN, or neither is NaN and x &gt;= it (&lt;= for min).</summary>
    static void Extreme<T>(bool max, T* dst, long* indices, T* src, long outer, long n, long inner) where T : unmanaged, INumber<T>
    {
        ForBlocks(outer, n * inner, (first, end) =>
        {
            for (long block = first * n * inner; block < end * n * inner; block += n * inner)
                for (long i = 0; i < inner; i++)
                {
                    T* s = src + block + i;
                    T best = s[0];
                    long at = 0;
                    for (long j = 0; j < n; j++)
                    {
                        T x = s[j * inner];
                        if (T.IsNaN(x) || (!T.IsNaN(best) && (max ? x >= best : x <= best))) { best = x; at = j; }
                        dst[block + j * inner + i] = best;
                        indices[block + j * inner + i] = at;
                    }
                }
        });
    }

    /// <summary>Runs body over ranges [first, end) of the outer blocks, split across the cores when there is enough work to pay for it.</summary>
    static void ForBlocks(long outer, long blockSize, Action<long, long> body)
    {
        int workers = (int)Math.Min(CpuThreads.Count, Math.Min(outer, outer * blockSize / 32768));
        if (workers <= 1)
        {
            body(0, outer);
            return;
        }
        CpuThreads.For(workers, w => body(outer * w / workers, outer * (w + 1) / workers));
    }
}
