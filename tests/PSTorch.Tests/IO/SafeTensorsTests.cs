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
    public void RoundTripsEveryDTypeWithMetadataInOrder()
    {
        var path = Path.Combine(dir, "all.safetensors");
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var dt in Enum.GetValues<DType>())
            tensors.Add(new($"t_{dt.Name()}", Torch.Arange(0, 6, 1, DType.Int64).To(dt).View(2, 3)));
        tensors.Add(new("transposed", Torch.Arange(0, 6, 1, DType.Float32).View(2, 3).T()));
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["epoch"] = "3", ["format"] = "pt" });

        var back = SafeTensors.Load(path);
        Assert.Equal(tensors.Select(t => t.Key), back.Tensors.Select(t => t.Key));
        Assert.Equal("3", back.Metadata["epoch"]);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.DType, back[name].DType);
            Assert.Equal(t.Shape, back[name].Shape);
            Assert.Equal(t.To(DType.Float64).ToArray<double>(), back[name].To(DType.Float64).ToArray<double>());
        }
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

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "truncated")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "needs 12 bytes but its offsets span 8")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "overlaps")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "hole")]
    [InlineData("{\"a\":{\"dtype\":\"X9\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "dtype 'X9'")]
    [InlineData("{\"a\":", 4, "not valid JSON")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", 0, "is not a string")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12, "bytes after the last tensor")]
    public void RefusesCorruptFilesWithAClearMessage(string header, int dataBytes, string expected)
    {
        var path = Path.Combine(dir, "bad.safetensors");
        File.WriteAllBytes(path, Bytes(header, new byte[dataBytes]));
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains("bad.safetensors", e.Message);
    }

    [Fact]
    public void RefusesAHeaderLengthBeyondTheFile()
    {
        var path = Path.Combine(dir, "short.safetensors");
        var b = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(b, 1000);
        File.WriteAllBytes(path, b);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
        File.WriteAllBytes(path, new byte[3]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
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
