namespace PSTorch.Backends.Cpu;

/// <summary>
/// Gather along one dimension. Operands: dst, src viewed with dst's shape and a zero stride at dim (so its
/// pointer is the start of the indexed line), and the int64 index. <see cref="DimStride"/> is src's stride at dim.
/// </summary>
internal unsafe struct GatherRow<T> : IRowKernel where T : unmanaged
{
    public long DimStride;

    public void Run(long n, nint* p, long* s)
    {
        T* o = (T*)p[0], x = (T*)p[1];
        long* ix = (long*)p[2];
        long so = s[0], sx = s[1], si = s[2];
        if (si == 0)
        {
            // one index for the whole row (index_select): a plain strided copy from one line
            T* from = x + *ix * DimStride;
            if (so == 1 && sx == 1) { Buffer.MemoryCopy(from, o, n * sizeof(T), n * sizeof(T)); return; }
            for (long i = 0; i < n; i++) o[i * so] = from[i * sx];
            return;
        }
        for (long i = 0; i < n; i++) o[i * so] = x[i * sx + ix[i * si] * DimStride];
    }
}

/// <summary>Scatter along one dimension. Operands: dst viewed with index's shape and a zero stride at dim, src, index.</summary>
internal unsafe struct ScatterRow<T> : IRowKernel where T : unmanaged
{
    public long DimStride;

    public void Run(long n, nint* p, long* s)
    {
        T* o = (T*)p[0], x = (T*)p[1];
        long* ix = (long*)p[2];
        for (long i = 0; i < n; i++) o[i * s[0] + ix[i * s[2]] * DimStride] = x[i * s[1]];
    }
}

/// <summary>Scatter-add along one dimension (operands as <see cref="ScatterRow{T}"/>); must run on one thread.</summary>
internal unsafe struct ScatterAddRow<T> : IRowKernel where T : unmanaged, System.Numerics.INumber<T>
{
    public long DimStride;

    public void Run(long n, nint* p, long* s)
    {
        T* o = (T*)p[0], x = (T*)p[1];
        long* ix = (long*)p[2];
        for (long i = 0; i < n; i++) o[i * s[0] + ix[i * s[2]] * DimStride] += x[i * s[1]];
    }
}
