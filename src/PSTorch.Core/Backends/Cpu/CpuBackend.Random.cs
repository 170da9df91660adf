using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    /// <summary>
    /// Fills dst by computing its elements in row-major order into a contiguous buffer of dtype
    /// <paramref name="bufferType"/> (dst itself when possible), split into chunks of whole Philox blocks
    /// so the values do not depend on how many threads run.
    /// </summary>
    void FillByIndex(Tensor dst, DType bufferType, Action<nint, long, long> fillRange)
    {
        var buffer = dst.IsContiguous() && dst.DType == bufferType ? dst : Tensor.Empty(dst.ShapeRef, bufferType, dst.Device);
        nint p = (nint)buffer.DataPointer;
        InChunks(buffer.Numel(), (i0, i1) => fillRange(p, i0, i1));
        if (!ReferenceEquals(buffer, dst)) Copy(dst, buffer);
    }

    /// <summary>Elements per parallel chunk: a multiple of 4, so no chunk splits a Philox block.</summary>
    const long ChunkElements = 1 << 16;

    /// <summary>
    /// range(i0, i1) over [0, n) on up to <see cref="CpuThreads.Count"/> threads, each taking a contiguous run of
    /// whole chunks, so an element-indexed kernel gives the same values whatever the thread count.
    /// </summary>
    static void InChunks(long n, Action<long, long> range)
    {
        long chunks = (n + ChunkElements - 1) / ChunkElements;
        if (n < StridedLoop.ParallelThreshold || chunks < 2) range(0, n);
        else
        {
            int workers = (int)Math.Min(CpuThreads.Count, chunks);
            CpuThreads.For(workers, w => range(Math.Min(n, chunks * w / workers * ChunkElements), Math.Min(n, chunks * (w + 1) / workers * ChunkElements)));
        }
    }

    public void FillUniform(Tensor dst, double from, double to, PhiloxState state)
    {
        if (dst.DType == DType.Float64)
            FillByIndex(dst, DType.Float64, (p, i0, i1) => UniformDouble((double*)p, i0, i1, from, to, state));
        else
            FillByIndex(dst, DType.Float32, (p, i0, i1) => UniformFloat((float*)p, i0, i1, (float)from, (float)to, state));
    }

    static void UniformFloat(float* o, long i0, long i1, float from, float to, PhiloxState state)
    {
        var sink = new UniformFloatSink(o, from, to - from);
        PhiloxDraws.ForEach(state, i0, i1, 1, ref sink);
    }

    static void UniformDouble(double* o, long i0, long i1, double from, double to, PhiloxState state)
    {
        var sink = new UniformDoubleSink(o, from, to - from);
        PhiloxDraws.ForEach(state, i0, i1, 2, ref sink);
    }

    readonly struct UniformFloatSink(float* o, float from, float range) : IDrawSink
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(long i, uint* words) => o[i] = from + Philox.ToUnitFloat(words[0]) * range;
    }

    readonly struct UniformDoubleSink(double* o, double from, double range) : IDrawSink
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(long i, uint* words) => o[i] = from + Philox.ToUnitDouble(words[0], words[1]) * range;
    }

    public void FillNormal(Tensor dst, double mean, double std, PhiloxState state)
    {
        if (dst.DType == DType.Float64)
            FillByIndex(dst, DType.Float64, (p, i0, i1) => NormalPairs((double*)p, i0, i1, mean, std, state));
        else
            FillByIndex(dst, DType.Float32, (p, i0, i1) => NormalPairs((float*)p, i0, i1, mean, std, state));
    }

    /// <summary>Box-Muller: pair p (elements 2p, 2p+1) from block p; u1 is taken in (0, 1] so the log is finite.</summary>
    static void NormalPairs<T>(T* o, long i0, long i1, double mean, double std, PhiloxState state) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        bool single = typeof(T) == typeof(float);
        for (long i = i0; i < i1; i += 2)
        {
            Philox.Block(state, (ulong)i / 2, out uint w0, out uint w1, out uint w2, out uint w3);
            double u1 = single ? 1.0 - Philox.ToUnitFloat(w0) : 1.0 - Philox.ToUnitDouble(w0, w1);
            double u2 = single ? Philox.ToUnitFloat(w1) : Philox.ToUnitDouble(w2, w3);
            double radius = Math.Sqrt(-2.0 * Math.Log(u1)) * std;
            double angle = 2.0 * Math.PI * u2;
            o[i] = T.CreateTruncating(mean + radius * Math.Cos(angle));
            if (i + 1 < i1) o[i + 1] = T.CreateTruncating(mean + radius * Math.Sin(angle));
        }
    }

    public void FillRandint(Tensor dst, long low, long high, PhiloxState state)
    {
        ulong range = (ulong)(high - low);
        FillByIndex(dst, DType.Int64, (p, i0, i1) =>
        {
            long* o = (long*)p;
            for (long i = i0; i < i1; i += 2)
            {
                Philox.Block(state, (ulong)i / 2, out uint w0, out uint w1, out uint w2, out uint w3);
                o[i] = low + (long)((((ulong)w1 << 32) | w0) % range);
                if (i + 1 < i1) o[i + 1] = low + (long)((((ulong)w3 << 32) | w2) % range);
            }
        });
    }

    public void FillRandperm(Tensor dst, PhiloxState state)
    {
        long* o = dst.Ptr<long>();
        long n = dst.Numel();
        for (long i = 0; i < n; i++) o[i] = i;
        for (long i = n - 1; i > 0; i--)
        {
            Philox.Block(state, (ulong)i / 2, out uint w0, out uint w1, out uint w2, out uint w3);
            ulong draw = i % 2 == 0 ? ((ulong)w1 << 32) | w0 : ((ulong)w3 << 32) | w2;
            long j = (long)(draw % (ulong)(i + 1));
            (o[i], o[j]) = (o[j], o[i]);
        }
    }
}
