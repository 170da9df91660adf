namespace PSTorch;

/// <summary>Element types, as torch.dtype. Ordered so that within a category a later member is wider.</summary>
public enum DType
{
    Bool,
    UInt8,
    Int8,
    Int16,
    Int32,
    Int64,
    Float16,
    BFloat16,
    Float32,
    Float64,
}

/// <summary>Facts about each <see cref="DType"/>: size, category, names, parsing and PyTorch's promotion.</summary>
public static class DTypes
{
    public static DType DefaultFloat { get; set; } = DType.Float32;

    public static int ElementSize(this DType t) => t switch
    {
        DType.Bool or DType.UInt8 or DType.Int8 => 1,
        DType.Int16 or DType.Float16 or DType.BFloat16 => 2,
        DType.Int32 or DType.Float32 => 4,
        DType.Int64 or DType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static bool IsFloatingPoint(this DType t) => t is DType.Float16 or DType.BFloat16 or DType.Float32 or DType.Float64;

    public static bool IsIntegral(this DType t, bool includeBool = false) =>
        t is DType.UInt8 or DType.Int8 or DType.Int16 or DType.Int32 or DType.Int64 || (includeBool && t == DType.Bool);

    /// <summary>The short name PyTorch prints: float32, int64, bool...</summary>
    public static string Name(this DType t) => t.ToString().ToLowerInvariant();

    /// <summary>torch.float32 style name.</summary>
    public static string TorchName(this DType t) => "torch." + t.Name();

    /// <summary>The scalar-type name PyTorch's messages use: Float, Double, Long, Bool...</summary>
    public static string LegacyName(this DType t) => t switch
    {
        DType.Float32 => "Float", DType.Float64 => "Double", DType.Float16 => "Half", DType.BFloat16 => "BFloat16",
        DType.Int64 => "Long", DType.Int32 => "Int", DType.Int16 => "Short", DType.Int8 => "Char", DType.UInt8 => "Byte", _ => "Bool",
    };

    /// <summary>All names accepted by <see cref="Parse"/> for tab completion.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<DType>().Select(Name).ToArray();

    static readonly Dictionary<string, DType> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["float"] = DType.Float32, ["double"] = DType.Float64, ["half"] = DType.Float16,
        ["long"] = DType.Int64, ["int"] = DType.Int32, ["short"] = DType.Int16,
        ["byte"] = DType.UInt8, ["char"] = DType.Int8, ["boolean"] = DType.Bool,
        ["f32"] = DType.Float32, ["f64"] = DType.Float64, ["f16"] = DType.Float16, ["bf16"] = DType.BFloat16,
    };

    /// <summary>Parses "float32", "torch.float32", "float", "long", ... (case-insensitive).</summary>
    public static DType Parse(string name)
    {
        var n = name.Trim();
        if (n.StartsWith("torch.", StringComparison.OrdinalIgnoreCase)) n = n[6..];
        if (Enum.TryParse<DType>(n, ignoreCase: true, out var t) && !int.TryParse(n, out _)) return t;
        if (Aliases.TryGetValue(n, out t)) return t;
        throw new ArgumentException($"Unknown dtype '{name}'. Expected one of: {string.Join(", ", Names)}.");
    }

    static int Category(DType t) => t == DType.Bool ? 0 : t.IsFloatingPoint() ? 2 : 1;

    /// <summary>torch.promote_types.</summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b) return a;
        int ca = Category(a), cb = Category(b);
        if (ca != cb) return ca > cb ? a : b;
        if (ca == 2)
        {
            if ((a == DType.Float16 && b == DType.BFloat16) || (a == DType.BFloat16 && b == DType.Float16)) return DType.Float32;
            return (DType)Math.Max((int)a, (int)b);
        }
        // integers: uint8 with a signed type needs a signed type wider than 8 bits
        if (a == DType.UInt8 && b == DType.Int8 || a == DType.Int8 && b == DType.UInt8) return DType.Int16;
        return (DType)Math.Max((int)a, (int)b);
    }

    /// <summary>The dtype .NET values of this type map to when building a tensor from them.</summary>
    public static DType FromClrType(Type t) => t switch
    {
        _ when t == typeof(float) => DType.Float32,
        _ when t == typeof(double) || t == typeof(decimal) => DType.Float64,
        _ when t == typeof(Half) => DType.Float16,
        _ when t == typeof(BFloat16) => DType.BFloat16,
        _ when t == typeof(long) || t == typeof(ulong) || t == typeof(uint) => DType.Int64,
        _ when t == typeof(int) => DType.Int32,
        _ when t == typeof(short) || t == typeof(ushort) => DType.Int16,
        _ when t == typeof(sbyte) => DType.Int8,
        _ when t == typeof(byte) => DType.UInt8,
        _ when t == typeof(bool) => DType.Bool,
        _ => throw new ArgumentException($"Cannot make a tensor from values of type {t.FullName}."),
    };
}
