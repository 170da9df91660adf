using System.Buffers.Binary;
using System.Text;
using PSTorch;
using PSTorch.IO;
using Xunit;

namespace PSTorch.Tests.IO;

public sealed class SafeTensorsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("pstorch-st-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static byte[] Bytes(string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var r = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(r, (ulong)h.Length);
        h.CopyTo(r, 8);
        data.CopyTo(r, 8 + h.Length);
        return r;
    }

    [Fact]
    public void RoundTripsEveryDTypeWithMetadata()
    {
        var path = Path.Combine(dir, "all.safetensors");
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var dt in Enum.GetValues<DType>())
            tensors.Add(new($"t_{dt.Name()}", Torch.Arange(0, 6, 1, DType.Int64).To(dt).View(2, 3)));
        tensors.Add(new("transposed", Torch.Arange(0, 6, 1, DType.Float32).View(2, 3).T()));
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["epoch"] = "3", ["format"] = "pt" });

        var back = SafeTensors.Load(path);
        Assert.Equal(tensors.Select(t => t.Key).Order(), back.Tensors.Select(t => t.Key).Order());
        Assert.Equal("3", back.Metadata["epoch"]);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.DType, back[name].DType);
            Assert.Equal(t.Shape, back[name].Shape);
            Assert.Equal(t.To(DType.Float64).ToArray<double>(), back[name].To(DType.Float64).ToArray<double>());
        }
    }

    [Fact]
    public void WritesTensorsInTheReferenceOrderSoEveryTensorIsAligned()
    {
        var path = Path.Combine(dir, "order.safetensors");
        SafeTensors.Save(path, [
            new("z_bool", Torch.Ones([3], DType.Bool)), new("b_f32", Torch.Ones(1)), new("a_f32", Torch.Ones(1)),
            new("u8", Torch.Ones([1], DType.UInt8)), new("i64", Torch.Ones([1], DType.Int64)), new("f16", Torch.Ones([1], DType.Float16)),
            new("f64", Torch.Ones([1], DType.Float64)), new("i32", Torch.Ones([1], DType.Int32)), new("bf16", Torch.Ones([1], DType.BFloat16)),
            new("i16", Torch.Ones([1], DType.Int16)), new("i8", Torch.Ones([1], DType.Int8))]);
        var back = SafeTensors.Load(path);
        Assert.Equal(["i64", "f64", "a_f32", "b_f32", "i32", "bf16", "f16", "i16", "i8", "u8", "z_bool"], back.Tensors.Select(t => t.Key));
    }

    [Fact]
    public void WritesTheReferenceLayout()
    {
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, [new("a", Torch.FromArray(new float[] { 1, 2 }))]);
        var bytes = ms.ToArray();
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n).TrimEnd(' ');
        Assert.Equal("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        Assert.Equal(8 + n + 8, bytes.Length);
        Assert.Equal(2f, BitConverter.ToSingle(bytes, (int)(8 + n + 4)));
    }

    /// <summary>The file the reference serializer writes: 8-byte little-endian header length, header padded with spaces, data.</summary>
    static byte[] ReferenceFile(string header, byte[] data)
    {
        int length = Encoding.UTF8.GetByteCount(header), padded = (length + 7) / 8 * 8;
        return Bytes(header + new string(' ', padded - length), data);
    }

    static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static TheoryData<string, string, List<KeyValuePair<string, Tensor>>, Dictionary<string, string>?> ReferenceVectors => new()
    {
        // the reference's own serialization tests: 64 bytes need no padding, 65 get 7 spaces, "{}" gets 6
        { "attn.0", "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}",
            [new("attn.0", Torch.Arange(0, 6, 1, DType.Float32).View(1, 2, 3))], null },
        { "attn0", "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}",
            [new("attn0", Torch.Arange(0, 6, 1, DType.Float32).View(1, 1, 2, 3))], null },
        { "empty", "{}", [], null },
        { "metadata only", "{\"__metadata__\":{\"framework\":\"pt\"}}", [], new() { ["framework"] = "pt" } },
        { "a", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", [new("a", Torch.FromArray(new float[] { 1, 2 }))], null },
        // largest alignment first, then by name; metadata first; only '"', '\' and control characters escaped
        { "mixed", "{\"__metadata__\":{\"note\":\"<é & \\\"q\\\"\\n>\"},"
            + "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
            + "\"d\\\\x\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[16,20]},\"c\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[20,23]},"
            + "\"e\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[23,24]}}",
            [new("e", Torch.Ones([1], DType.Bool)), new("c", Torch.FromArray(new byte[] { 1, 2, 3 })), new("d\\x", Torch.Scalar(5f)),
             new("a", Torch.FromArray(new float[] { 1, 2 })), new("b", Torch.FromArray(new long[] { 7 }))],
            new() { ["note"] = "<é & \"q\"\n>" } },
    };

    static byte[] DataOf(IEnumerable<KeyValuePair<string, Tensor>> tensorsInFileOrder, string header) =>
        tensorsInFileOrder.OrderBy(kv => header.IndexOf("\"" + kv.Key.Replace("\\", "\\\\") + "\":{", StringComparison.Ordinal))
            .SelectMany(kv => kv.Value.DType switch
            {
                DType.Float32 => Floats(kv.Value.ToArray<float>()),
                DType.Int64 => kv.Value.ToArray<long>().SelectMany(BitConverter.GetBytes).ToArray(),
                DType.UInt8 => kv.Value.ToArray<byte>(),
                DType.Bool => kv.Value.ToArray<bool>().Select(b => (byte)(b ? 1 : 0)).ToArray(),
                _ => throw new ArgumentException("vector dtype"),
            }).ToArray();

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void WritesTheReferenceSerializersBytesAndReadsThem(string label, string header, List<KeyValuePair<string, Tensor>> tensors, Dictionary<string, string>? metadata)
    {
        var expected = ReferenceFile(header, DataOf(tensors, header));
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, tensors, metadata);
        Assert.True(expected.AsSpan().SequenceEqual(ms.ToArray()), $"{label}: bytes differ\nexpected {Convert.ToHexString(expected)}\nactual   {Convert.ToHexString(ms.ToArray())}");

        var path = Path.Combine(dir, "vector.safetensors");
        File.WriteAllBytes(path, expected);
        var back = SafeTensors.Load(path);
        Assert.Equal(tensors.Count, back.Tensors.Count);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.DType, back[name].DType);
            Assert.Equal(t.Shape, back[name].Shape);
            Assert.Equal(t.To(DType.Float64).ToArray<double>(), back[name].To(DType.Float64).ToArray<double>());
        }
        Assert.Equal(metadata ?? [], back.Metadata);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "the tensors need 8 data bytes but only 4 are present")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "needs 12 bytes but its offsets span 8")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "overlaps")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "hole")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4, "invalid data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8, "invalid data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4, "no data_offsets pair")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[1000000,1000004]}}", 4, "hole before tensor 'a'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,4]}}", 4, "shape too large")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "invalid shape")]
    [InlineData("{\"a\":{\"dtype\":\"X9\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "unknown dtype 'X9'")]
    [InlineData("{\"a\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "'U16', a safetensors dtype PSTorch does not support")]
    [InlineData("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'a' has no dtype")]
    [InlineData("{\"a\":", 4, "not valid JSON")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} trailing", 4, "not valid JSON")]
    [InlineData("[1, 2]", 0, "does not start with '{'")]
    [InlineData(" {}", 0, "does not start with '{'")]
    [InlineData("", 0, "does not start with '{'")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", 0, "__metadata__ value 'k' is not a string")]
    [InlineData("{\"__metadata__\":[\"k\"]}", 0, "__metadata__ must be an object of strings")]
    [InlineData("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0, "__metadata__ names 'k' twice")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "the header names 'a' twice")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12, "8 bytes after the last tensor")]
    public void RefusesCorruptFilesWithAClearMessage(string header, int dataBytes, string expected)
    {
        var path = Path.Combine(dir, "bad.safetensors");
        File.WriteAllBytes(path, Bytes(header, new byte[dataBytes]));
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains("bad.safetensors", e.Message);
    }

    [Fact]
    public void RefusesAHeaderThatIsNotUtf8()
    {
        var path = Path.Combine(dir, "latin1.safetensors");
        var file = Bytes("{\"x\":{}}", []);
        file[10] = 0xFF;
        File.WriteAllBytes(path, file);
        Assert.Contains("not valid UTF-8", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
    }

    [Fact]
    public void RefusesAHeaderLengthOverTheLimit()
    {
        var path = Path.Combine(dir, "huge.safetensors");
        var b = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(b, SafeTensors.MaxHeaderBytes + 1);
        File.WriteAllBytes(path, b);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("larger than the limit of 100000000 bytes", e.Message);
        Assert.Contains("huge.safetensors", e.Message);
    }

    [Fact]
    public void RefusesAnEmptyFile()
    {
        var path = Path.Combine(dir, "empty.safetensors");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("'" + path + "' is not a valid safetensors file: the file is empty", e.Message);
    }

    [Fact]
    public void RefusesAHeaderLengthBeyondTheFile()
    {
        var path = Path.Combine(dir, "short.safetensors");
        var b = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(b, 1000);
        File.WriteAllBytes(path, b);
        Assert.Contains("truncated: the header needs 1000 bytes but only 8 follow", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
        File.WriteAllBytes(path, new byte[3]);
        Assert.Contains("truncated: 3 bytes is shorter than the 8-byte header length", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
    }

    [Fact]
    public void AFailureWhileSavingLeavesThePreviousFileWhole()
    {
        var path = Path.Combine(dir, "ckpt.safetensors");
        SafeTensors.Save(path, [new("w", Torch.FromArray(new float[] { 7, 8 }))]);
        var released = Torch.Ones(1000);
        released.Dispose();
        // the second tensor's memory is gone: writing fails after the header and the first tensor were written
        Assert.ThrowsAny<ObjectDisposedException>(() =>
            SafeTensors.Save(path, [new("w", Torch.FromArray(new float[] { 1, 2 })), new("gone", released)]));
        Assert.Equal(new float[] { 7, 8 }, SafeTensors.Load(path)["w"].ToArray<float>());
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void RejectsDuplicateAndReservedNames()
    {
        using var ms = new MemoryStream();
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(ms, [new("__metadata__", Torch.Ones(1))]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(ms, [new("a", Torch.Ones(1)), new("a", Torch.Ones(1))]));
    }
}
