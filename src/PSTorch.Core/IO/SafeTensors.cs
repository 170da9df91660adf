using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace PSTorch.IO;

/// <summary>
/// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length,
/// a UTF-8 JSON header (padded with spaces to a multiple of 8 bytes) mapping each name to its dtype, shape and
/// [begin, end) byte offsets into the data that follows, plus an optional "__metadata__" map of strings; then
/// the raw little-endian tensor data, with no holes and no overlaps.
/// </summary>
public static class SafeTensors
{
    /// <summary>Headers larger than this are refused as corrupt (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public static string DTypeCode(DType t) => t switch
    {
        DType.Bool => "BOOL", DType.UInt8 => "U8", DType.Int8 => "I8", DType.Int16 => "I16", DType.Int32 => "I32",
        DType.Int64 => "I64", DType.Float16 => "F16", DType.BFloat16 => "BF16", DType.Float32 => "F32", DType.Float64 => "F64",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    static DType ParseDType(string code, string name) => code switch
    {
        "BOOL" => DType.Bool, "U8" => DType.UInt8, "I8" => DType.Int8, "I16" => DType.Int16, "I32" => DType.Int32,
        "I64" => DType.Int64, "F16" => DType.Float16, "BF16" => DType.BFloat16, "F32" => DType.Float32, "F64" => DType.Float64,
        "U16" or "U32" or "U64" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" or "F4" or "F6_E2M3" or "F6_E3M2" or "C64"
            => throw new InvalidDataException($"tensor '{name}' has dtype '{code}', a safetensors dtype PSTorch does not support"),
        _ => throw new InvalidDataException($"tensor '{name}' has unknown dtype '{code}'"),
    };

    /// <summary>
    /// Writes <paramref name="tensors"/> (in the reference order, see <see cref="Write"/>) and <paramref name="metadata"/> to <paramref name="path"/>
    /// atomically: the bytes go to a temporary file in the same folder, are flushed to disk, and the file is then
    /// renamed over the target, so an interruption leaves either the old file or the new one whole.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Write(stream, tensors, metadata);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Writes the safetensors bytes to a stream exactly as the reference serializer (huggingface/safetensors,
    /// used by Python's safetensors.torch.save_file) does for the same tensors and metadata: tensors ordered by
    /// descending dtype alignment (I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL), then by name (byte order);
    /// a compact JSON header with "__metadata__" first and serde_json's string escaping; the header padded with
    /// spaces to a multiple of 8 bytes, so every tensor's data is aligned to its element size. (The reference keeps
    /// metadata in a hash map, so with several metadata entries only its key order can differ from ours.)
    /// </summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.Select(kv => (kv.Key, Tensor: kv.Value.Cpu().Contiguous())).ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in list)
        {
            if (name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor");
            if (!names.Add(name)) throw new ArgumentException($"tensor name '{name}' appears twice");
        }
        list = list.OrderByDescending(e => AlignmentRank(e.Tensor.DType))
            .ThenBy(e => Encoding.UTF8.GetBytes(e.Key), Utf8Order.Instance).ToList();

        var header = new StringBuilder("{");
        if (metadata is { Count: > 0 })
        {
            AppendJsonString(header, MetadataKey).Append(":{");
            bool first = true;
            foreach (var kv in metadata)
            {
                if (!first) header.Append(',');
                first = false;
                AppendJsonString(header, kv.Key).Append(':');
                AppendJsonString(header, kv.Value ?? throw new ArgumentException($"metadata value '{kv.Key}' is null"));
            }
            header.Append('}');
        }
        long offset = 0;
        foreach (var (name, t) in list)
        {
            long bytes = t.Numel() * t.DType.ElementSize();
            if (header.Length > 1) header.Append(',');
            AppendJsonString(header, name).Append(":{\"dtype\":\"").Append(DTypeCode(t.DType)).Append("\",\"shape\":[")
                .AppendJoin(',', t.ShapeRef).Append("],\"data_offsets\":[").Append(offset).Append(',').Append(offset + bytes).Append("]}");
            offset += bytes;
        }
        header.Append('}');
        var headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        int padded = (headerBytes.Length + 7) / 8 * 8;
        if (padded > MaxHeaderBytes) throw new ArgumentException($"the header would be {padded} bytes, more than the limit of {MaxHeaderBytes}");

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(headerBytes);
        for (int i = headerBytes.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var (_, t) in list) WriteData(stream, t);
    }

    const string MetadataKey = "__metadata__";

    /// <summary>The reference's dtype order ("increasing alignment"); the writer puts the largest first.</summary>
    static int AlignmentRank(DType t) => t switch
    {
        DType.Bool => 0, DType.UInt8 => 1, DType.Int8 => 2, DType.Int16 => 3, DType.Float16 => 4, DType.BFloat16 => 5,
        DType.Int32 => 6, DType.Float32 => 7, DType.Float64 => 8, DType.Int64 => 9,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>Rust's string order: by UTF-8 bytes.</summary>
    sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    /// <summary>A JSON string as serde_json writes it: only '"', '\\' and control characters are escaped.</summary>
    static StringBuilder AppendJsonString(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ': sb.Append("\\u00").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"');
    }

    static unsafe void WriteData(Stream stream, Tensor t)
    {
        long bytes = t.Numel() * t.DType.ElementSize();
        var p = (byte*)t.DataPointer;
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported");
        for (long done = 0; done < bytes;)
        {
            int chunk = (int)Math.Min(bytes - done, 1 << 30);
            stream.Write(new ReadOnlySpan<byte>(p + done, chunk));
            done += chunk;
        }
    }

    /// <summary>What a safetensors file holds: tensors in file order and the metadata strings.</summary>
    public sealed record Contents(IReadOnlyList<KeyValuePair<string, Tensor>> Tensors, IReadOnlyDictionary<string, string> Metadata)
    {
        public Tensor this[string name] => Tensors.FirstOrDefault(kv => kv.Key == name).Value
            ?? throw new KeyNotFoundException($"no tensor named '{name}' in the file");
    }

    /// <summary>
    /// Reads a safetensors file, validating it as the reference implementation does (header size, JSON, dtypes,
    /// shapes against byte sizes, offsets in bounds, no overlaps or holes); nothing in the file is executed.
    /// </summary>
    public static Contents Load(string path, Device? device = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No such file: '{path}'", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        try { return Read(stream, device); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}' is not a valid safetensors file: {e.Message}", e); }
    }

    /// <summary>Reads safetensors bytes from a seekable stream (see <see cref="Load"/>).</summary>
    public static Contents Read(Stream stream, Device? device = null)
    {
        long fileLength = stream.Length;
        if (fileLength == 0) throw new InvalidDataException("the file is empty");
        Span<byte> lengthBytes = stackalloc byte[8];
        if (fileLength < 8 || stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
            throw new InvalidDataException($"the file is truncated: {fileLength} bytes is shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes) throw new InvalidDataException($"the header length {headerLength} is larger than the limit of {MaxHeaderBytes} bytes");
        if (8 + (long)headerLength > fileLength) throw new InvalidDataException($"the file is truncated: the header needs {headerLength} bytes but only {fileLength - 8} follow");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;

        try { StrictUtf8.GetCharCount(headerBytes); }
        catch (DecoderFallbackException) { throw new InvalidDataException("the header is not valid UTF-8"); }
        if (headerLength == 0 || headerBytes[0] != (byte)'{') throw new InvalidDataException("the header does not start with '{'");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(headerBytes); }
        catch (JsonException e) { throw new InvalidDataException($"the header is not valid JSON ({e.Message})"); }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException("the header is not a JSON object");

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<(string Name, DType DType, long[] Shape, long Begin, long End)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var prop in doc.RootElement.EnumerateObject())
        {
            if (!seen.Add(prop.Name)) throw new InvalidDataException($"the header names '{prop.Name}' twice");
            if (prop.Name == MetadataKey)
            {
                if (prop.Value.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{MetadataKey} must be an object of strings");
                foreach (var m in prop.Value.EnumerateObject())
                {
                    if (m.Value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{MetadataKey} value '{m.Name}' is not a string");
                    if (!metadata.TryAdd(m.Name, m.Value.GetString()!)) throw new InvalidDataException($"{MetadataKey} names '{m.Name}' twice");
                }
                continue;
            }
            entries.Add(ParseEntry(prop));
        }

        // offsets must tile the data exactly: sorted by begin, each starts where the previous ended
        long expected = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin != expected)
                throw new InvalidDataException(e.Begin < expected
                    ? $"tensor '{e.Name}' overlaps another tensor's data (offset {e.Begin} < {expected})"
                    : $"the data has a hole before tensor '{e.Name}' (offset {e.Begin}, expected {expected})");
            expected = e.End;
        }
        if (expected > dataLength) throw new InvalidDataException($"the file is truncated: the tensors need {expected} data bytes but only {dataLength} are present");
        if (expected < dataLength) throw new InvalidDataException($"the file has {dataLength - expected} bytes after the last tensor's data");

        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var e in entries)
        {
            var t = Tensor.Empty(e.Shape, e.DType, PSTorch.Device.Cpu);
            ReadData(stream, dataStart + e.Begin, e.End - e.Begin, t);
            tensors.Add(new(e.Name, device is { } d && d != PSTorch.Device.Cpu ? t.To(d) : t));
        }
        return new Contents(tensors, metadata);
    }

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static (string, DType, long[], long, long) ParseEntry(JsonProperty prop)
    {
        string name = prop.Name;
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"the entry for tensor '{name}' is not an object");
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw new InvalidDataException($"tensor '{name}' has no dtype");
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"tensor '{name}' has no shape");
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new InvalidDataException($"tensor '{name}' has no data_offsets pair");
        var dtype = ParseDType(dt.GetString()!, name);
        var shape = sh.EnumerateArray().Select(x => x.TryGetInt64(out var n) && n >= 0 ? n : throw new InvalidDataException($"tensor '{name}' has an invalid shape")).ToArray();
        long begin = off[0].TryGetInt64(out var b) ? b : -1, end = off[1].TryGetInt64(out var en) ? en : -1;
        if (begin < 0 || end < begin) throw new InvalidDataException($"tensor '{name}' has invalid data_offsets [{off[0]}, {off[1]}]");
        long bytes;
        try { bytes = checked(shape.Aggregate(1L, (a, s) => checked(a * s)) * dtype.ElementSize()); }
        catch (OverflowException) { throw new InvalidDataException($"tensor '{name}' has a shape too large to address"); }
        if (bytes != end - begin)
            throw new InvalidDataException($"tensor '{name}' of shape {Shapes.Format(shape)} and dtype {dtype.Name()} needs {bytes} bytes but its offsets span {end - begin}");
        return (name, dtype, shape, begin, end);
    }

    static unsafe void ReadData(Stream stream, long position, long bytes, Tensor t)
    {
        stream.Position = position;
        var p = (byte*)t.DataPointer;
        for (long done = 0; done < bytes;)
        {
            int chunk = (int)Math.Min(bytes - done, 1 << 30);
            stream.ReadExactly(new Span<byte>(p + done, chunk));
            done += chunk;
        }
    }
}
