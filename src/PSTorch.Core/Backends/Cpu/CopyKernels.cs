using System.Numerics;

namespace PSTorch.Backends.Cpu;

/// <summary>Strided copy with conversion between numeric types (truncating, as a C cast).</summary>
internal unsafe struct ConvertRow<TSrc, TDst> : IRowKernel
    where TSrc : unmanaged, INumberBase<TSrc> where TDst : unmanaged, INumberBase<TDst>
{
    public void Run(long n, nint* p, long* s)
    {
        TDst* o = (TDst*)p[0];
        TSrc* x = (TSrc*)p[1];
        long so = s[0], sx = s[1];
        if (typeof(TSrc) == typeof(TDst) && so == 1 && sx == 1)
        {
            Buffer.MemoryCopy(x, o, n * sizeof(TDst), n * sizeof(TDst));
            return;
        }
        for (long i = 0; i < n; i++) o[i * so] = Convert(x[i * sx]);
    }

    static bool IsFloat<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half) || typeof(T) == typeof(BFloat16);

    /// <summary>
    /// PyTorch's CPU cast of a float to an integer, as compiled on x86: to uint8 through int64 (c10's
    /// static_cast_with_inter_type: 300.0 is 44, -1.0 is 255, where .NET would saturate to 255 and 0), to int8/int16
    /// through int32, and a float outside int32/int64 (or NaN) becomes the "integer indefinite" value, the type's
    /// minimum. Everything else converts as .NET's truncating conversion.
    /// </summary>
    static TDst Convert(TSrc value)
    {
        if (!IsFloat<TSrc>() || IsFloat<TDst>()) return TDst.CreateTruncating(value);
        double d = double.CreateTruncating(value);
        if (typeof(TDst) == typeof(long) || typeof(TDst) == typeof(byte))
            return TDst.CreateTruncating(d is >= -9.2233720368547758E18 and < 9.2233720368547758E18 ? (long)d : long.MinValue);
        return TDst.CreateTruncating(d is >= -2147483648.0 and < 2147483648.0 ? (int)d : int.MinValue);
    }
}

/// <summary>Any numeric source to bool: nonzero is true.</summary>
internal unsafe struct ToBoolRow<TSrc> : IRowKernel where TSrc : unmanaged, INumberBase<TSrc>
{
    public void Run(long n, nint* p, long* s)
    {
        byte* o = (byte*)p[0];
        TSrc* x = (TSrc*)p[1];
        for (long i = 0; i < n; i++) o[i * s[0]] = TSrc.IsZero(x[i * s[1]]) ? (byte)0 : (byte)1;
    }
}

/// <summary>bfloat16 to and from float32 (the only conversions bfloat16 takes part in directly).</summary>
internal unsafe struct BFloat16ToFloatRow : IRowKernel
{
    public void Run(long n, nint* p, long* s)
    {
        float* o = (float*)p[0];
        BFloat16* x = (BFloat16*)p[1];
        for (long i = 0; i < n; i++) o[i * s[0]] = (float)x[i * s[1]];
    }
}

internal unsafe struct FloatToBFloat16Row : IRowKernel
{
    public void Run(long n, nint* p, long* s)
    {
        BFloat16* o = (BFloat16*)p[0];
        float* x = (float*)p[1];
        for (long i = 0; i < n; i++) o[i * s[0]] = (BFloat16)x[i * s[1]];
    }
}

/// <summary>Writes one value into every element.</summary>
internal unsafe struct FillRow<T> : IRowKernel where T : unmanaged
{
    public T Value;

    public void Run(long n, nint* p, long* s)
    {
        T* o = (T*)p[0];
        if (s[0] == 1 && n <= int.MaxValue) { new Span<T>(o, (int)n).Fill(Value); return; }
        for (long i = 0; i < n; i++) o[i * s[0]] = Value;
    }
}

/// <summary>dst = cond ? a : b.</summary>
internal unsafe struct WhereRow<T> : IRowKernel where T : unmanaged
{
    public void Run(long n, nint* p, long* s)
    {
        T* o = (T*)p[0];
        byte* c = (byte*)p[1];
        T* a = (T*)p[2], b = (T*)p[3];
        for (long i = 0; i < n; i++) o[i * s[0]] = c[i * s[1]] != 0 ? a[i * s[2]] : b[i * s[3]];
    }
}
