using System.Collections;

namespace PSTorch;

/// <summary>
/// Reads .NET data (scalars, nested arrays/lists/enumerables, multidimensional arrays) into a shape, flat
/// values and the dtype PyTorch would infer: any floating value gives the default float dtype, otherwise
/// any integer gives int64, otherwise bool.
/// </summary>
internal sealed class NestedData
{
    enum Kind { Bool, Integer, Float }

    readonly List<long> shape = [];
    Kind kind = Kind.Bool;

    public long[] Shape { get; private set; } = [];
    public double[] Floats { get; private set; } = [];
    public long[] Integers { get; private set; } = [];
    int count;

    public DType InferredDType => count == 0 ? DTypes.DefaultFloat : kind switch { Kind.Float => DTypes.DefaultFloat, Kind.Integer => DType.Int64, _ => DType.Bool };

    public static NestedData Read(object data)
    {
        var r = new NestedData();
        r.InferShape(data);
        long n = Shapes.Numel(r.Shape);
        r.Floats = new double[n];
        r.Integers = new long[n];
        r.Fill(data, 0);
        return r;
    }

    /// <summary>The shape follows the first element at each level, as PyTorch does; Fill then checks every sequence against it.</summary>
    void InferShape(object data)
    {
        object? level = data;
        while (true)
        {
            if (level is Array { Rank: > 1 } md)
            {
                for (int d = 0; d < md.Rank; d++) shape.Add(md.GetLength(d));
                level = md.Length > 0 ? FirstOf(md) : null;
                if (level == null) break;
                continue;
            }
            if (AsList(level) is not { } list) break;
            shape.Add(list.Count);
            if (list.Count == 0) break;
            level = list[0];
        }
        Shape = shape.ToArray();
    }

    static object? FirstOf(Array md)
    {
        foreach (var x in md) return x;
        return null;
    }

    static IList? AsList(object? value) => value switch
    {
        null or string => null,
        Tensor => null,
        IList l => l,
        IEnumerable e => e.Cast<object?>().ToList(),
        _ => null,
    };

    void Fill(object? value, int dim)
    {
        if (dim == Shape.Length)
        {
            Store(value, dim);
            return;
        }
        if (value is Array { Rank: > 1 } md)
        {
            // a multidimensional array covers md.Rank dimensions at once, row-major
            for (int d = 0; d < md.Rank; d++)
                if (dim + d >= Shape.Length || md.GetLength(d) != Shape[dim + d])
                    throw new ArgumentException($"expected sequence of length {(dim + d < Shape.Length ? Shape[dim + d] : 0)} at dim {dim + d} (got {md.GetLength(d)})");
            foreach (var x in md) Fill(x, dim + md.Rank);
            return;
        }
        if (AsList(value) is not { } list)
            throw new ArgumentException($"expected sequence of length {Shape[dim]} at dim {dim} (got a scalar of type {TypeName(value)})");
        if (list.Count != Shape[dim])
            throw new ArgumentException($"expected sequence of length {Shape[dim]} at dim {dim} (got {list.Count})");
        foreach (var x in list) Fill(x, dim + 1);
    }

    void Store(object? value, int dim)
    {
        switch (value)
        {
            case bool b: Put(b ? 1 : 0, b ? 1 : 0); break;
            case double d: Put(d, (long)d, Kind.Float); break;
            case float f: Put(f, (long)f, Kind.Float); break;
            case Half h: Put((double)h, (long)(double)h, Kind.Float); break;
            case BFloat16 bf: Put((float)bf, (long)(float)bf, Kind.Float); break;
            case decimal m: Put((double)m, (long)m, Kind.Float); break;
            case long l: Put(l, l, Kind.Integer); break;
            case int i: Put(i, i, Kind.Integer); break;
            case short s: Put(s, s, Kind.Integer); break;
            case sbyte sb: Put(sb, sb, Kind.Integer); break;
            case byte u8: Put(u8, u8, Kind.Integer); break;
            case ushort u16: Put(u16, u16, Kind.Integer); break;
            case uint u32: Put(u32, u32, Kind.Integer); break;
            case ulong u64: Put(u64, (long)u64, Kind.Integer); break;
            case Tensor t when t.Numel() == 1 && t.NDim == 0:
                var item = t.Item();
                Store(item, dim);
                break;
            default:
                if (AsList(value) != null || value is Array)
                    throw new ArgumentException($"expected a number at dim {dim} but got a sequence (the data is ragged: deeper here than in its first element)");
                throw new ArgumentException($"Could not infer dtype of {TypeName(value)}");
        }
    }

    void Put(double asFloat, long asInteger, Kind k = Kind.Bool)
    {
        Floats[count] = asFloat;
        Integers[count] = asInteger;
        count++;
        if (k > kind) kind = k;
    }

    static string TypeName(object? value) => value?.GetType().Name ?? "null";
}
