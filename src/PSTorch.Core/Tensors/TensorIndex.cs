using System.Globalization;

namespace PSTorch;

/// <summary>What one position of an indexing expression does.</summary>
public enum TensorIndexKind
{
    /// <summary>An integer: selects one element and removes the dimension.</summary>
    Select,
    /// <summary>start:stop:step, Python's slicing rules.</summary>
    Slice,
    /// <summary>...: as many full slices as needed.</summary>
    Ellipsis,
    /// <summary>None: inserts a dimension of size 1.</summary>
    None,
    /// <summary>An int64 index tensor or a bool mask (advanced indexing: the result is a copy).</summary>
    Tensor,
}

/// <summary>
/// One position of an indexing expression, as in Python's <c>x[0, 1:3, ..., None, idx]</c>. Converts implicitly
/// from int/long (select), <see cref="System.Range"/> (<c>t[1..3]</c>, <c>t[^2..]</c>), a string in Python slice
/// syntax ("1:3", ":", "::2", "-2:", "...", "None", also several separated by commas) and a <see cref="PSTorch.Tensor"/>.
/// </summary>
public sealed class TensorIndex
{
    TensorIndex(TensorIndexKind kind) => Kind = kind;

    public TensorIndexKind Kind { get; }

    /// <summary>The index of a <see cref="TensorIndexKind.Select"/>.</summary>
    public long Index { get; private init; }

    /// <summary>Slice bounds; null means the start or the end of the dimension.</summary>
    public long? Start { get; private init; }
    public long? Stop { get; private init; }
    public long Step { get; private init; } = 1;

    /// <summary>The index tensor of a <see cref="TensorIndexKind.Tensor"/>.</summary>
    public Tensor? Tensor { get; private init; }

    /// <summary>Several positions parsed from one comma-separated string; expanded in place when indexing.</summary>
    internal TensorIndex[]? Group { get; private init; }

    public static TensorIndex Ellipsis { get; } = new(TensorIndexKind.Ellipsis);
    public static TensorIndex None { get; } = new(TensorIndexKind.None);

    public static TensorIndex Select(long index) => new(TensorIndexKind.Select) { Index = index };

    /// <summary>start:stop:step with Python's semantics (negative bounds count from the end; step must be positive).</summary>
    public static TensorIndex Slice(long? start = null, long? stop = null, long? step = null)
    {
        if (step is <= 0) throw new ArgumentException("step must be greater than zero");
        return new(TensorIndexKind.Slice) { Start = start, Stop = stop, Step = step ?? 1 };
    }

    public static TensorIndex FromTensor(Tensor index)
    {
        if (index.DType != DType.Bool && index.DType != DType.UInt8 && !index.DType.IsIntegral())
            throw new IndexOutOfRangeException("tensors used as indices must be long, int, byte or bool tensors");
        return new(TensorIndexKind.Tensor) { Tensor = index };
    }

    public static implicit operator TensorIndex(int index) => Select(index);
    public static implicit operator TensorIndex(long index) => Select(index);
    public static implicit operator TensorIndex(Tensor index) => FromTensor(index);
    public static implicit operator TensorIndex(string text) => Parse(text);

    public static implicit operator TensorIndex(Range range)
    {
        // ^0 as a start is the end of the dimension; as a stop it is "no bound".
        long? start = range.Start.IsFromEnd ? (range.Start.Value == 0 ? long.MaxValue : -range.Start.Value) : range.Start.Value;
        long? stop = range.End.IsFromEnd ? (range.End.Value == 0 ? null : -range.End.Value) : range.End.Value;
        return Slice(start == 0 ? null : start, stop);
    }

    /// <summary>Converts what PowerShell passes (numbers, strings, ranges, tensors, null for None, TensorIndex) into an index.</summary>
    public static TensorIndex From(object? value) => value switch
    {
        null => None,
        TensorIndex i => i,
        Tensor t => FromTensor(t),
        string s => Parse(s),
        Range r => r,
        int or long or short or sbyte or byte or uint => Select(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"An index must be an integer, a slice string such as '1:3', '...', 'None', a Range or a Tensor; got {value.GetType().Name}."),
    };

    /// <summary>Python index syntax: "2", "-1", "1:3", ":", "::2", "-2:", "...", "None", or several separated by commas.</summary>
    public static TensorIndex Parse(string text)
    {
        if (text.Contains(','))
        {
            var parts = text.Split(',').Select(p => Parse(p)).ToArray();
            return parts.Length == 1 ? parts[0] : new TensorIndex(TensorIndexKind.Ellipsis) { Group = parts };
        }
        var s = text.Trim();
        if (s == "...") return Ellipsis;
        if (s is "None" or "none") return None;
        if (!s.Contains(':')) return Select(ParseLong(s, text));
        var fields = s.Split(':');
        if (fields.Length > 3) throw new FormatException($"Invalid slice '{text}': expected start:stop:step.");
        long? Bound(int i) => i < fields.Length && fields[i].Trim().Length > 0 ? ParseLong(fields[i].Trim(), text) : null;
        return Slice(Bound(0), Bound(1), Bound(2));
    }

    static long ParseLong(string s, string whole) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : throw new FormatException($"Invalid index '{whole}': expected an integer, a slice such as '1:3' or '::2', '...' or 'None'.");

    /// <summary>Expands comma-separated groups into their positions.</summary>
    internal static List<TensorIndex> Flatten(IEnumerable<TensorIndex> indices)
    {
        var r = new List<TensorIndex>();
        foreach (var i in indices)
            if (i.Group != null) r.AddRange(i.Group);
            else r.Add(i);
        return r;
    }

    /// <summary>Python's slice.indices(size): clamped start and stop for a positive step.</summary>
    internal (long start, long stop) Resolve(long size)
    {
        static long Clamp(long v, long size) => v < 0 ? Math.Max(v + size, 0) : Math.Min(v, size);
        long start = Start is { } a ? Clamp(a, size) : 0;
        long stop = Stop is { } b ? Clamp(b, size) : size;
        return (start, Math.Max(start, stop));
    }

    public override string ToString() => Kind switch
    {
        TensorIndexKind.Select => Index.ToString(CultureInfo.InvariantCulture),
        TensorIndexKind.Slice => $"{Start}:{Stop}" + (Step != 1 ? $":{Step}" : ""),
        TensorIndexKind.Ellipsis => Group != null ? string.Join(", ", Group.Select(g => g.ToString())) : "...",
        TensorIndexKind.None => "None",
        _ => "tensor",
    };
}
