using System.Buffers.Binary;
using System.Text;
using PSTorch;
using PSTorch.IO.TensorBoard;
using Xunit;

namespace PSTorch.Tests.IO;

public sealed class SummaryWriterTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("pstorch-tb-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Bitwise CRC-32C, independent of the table-driven one under test.</summary>
    static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++) crc = (crc >> 1) ^ (0x82F63B78u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    static uint MaskReference(uint crc) => (uint)((((ulong)crc >> 15) | ((ulong)crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8u;

    /// <summary>Reads TFRecord frames, verifying both masked CRCs independently.</summary>
    static List<byte[]> ReadRecords(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        int p = 0;
        while (p < bytes.Length)
        {
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(p));
            Assert.Equal(MaskReference(ReferenceCrc(bytes.AsSpan(p, 8))), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(p + 8)));
            var data = bytes.AsSpan(p + 12, (int)len).ToArray();
            Assert.Equal(MaskReference(ReferenceCrc(data)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(p + 12 + (int)len)));
            records.Add(data);
            p += 12 + (int)len + 4;
        }
        return records;
    }

    /// <summary>A minimal protobuf field reader: (field number, wire type, value bytes or varint).</summary>
    static List<(int Field, int Wire, ulong Varint, byte[] Bytes)> Fields(byte[] m)
    {
        var r = new List<(int, int, ulong, byte[])>();
        int p = 0;
        ulong ReadVarint() { ulong v = 0; int s = 0; while (true) { byte b = m[p++]; v |= (ulong)(b & 0x7F) << s; if (b < 0x80) return v; s += 7; } }
        while (p < m.Length)
        {
            var tag = ReadVarint();
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            switch (wire)
            {
                case 0: r.Add((field, wire, ReadVarint(), [])); break;
                case 1: r.Add((field, wire, 0, m[p..(p + 8)])); p += 8; break;
                case 5: r.Add((field, wire, 0, m[p..(p + 4)])); p += 4; break;
                case 2: int n = (int)ReadVarint(); r.Add((field, wire, 0, m[p..(p + n)])); p += n; break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
        return r;
    }

    [Fact]
    public void CrcMatchesTheStandardCheckValue() => Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Fact]
    public void ScalarEventsAreFramedAndEncodedAsTensorBoardReadsThem()
    {
        string file;
        using (var w = new SummaryWriter(dir))
        {
            w.AddScalar("loss/train", 0.5, step: 7);
            w.AddHistogram("weights", Torch.FromArray(new float[] { 1, 2, 2, 3 }), step: 1, bins: 2);
            file = w.FilePath;
        }
        Assert.Matches(@"events\.out\.tfevents\.\d+\.", Path.GetFileName(file));
        var records = ReadRecords(file);
        Assert.Equal(3, records.Count);

        var version = Fields(records[0]);
        Assert.Equal("brain.Event:2", Encoding.UTF8.GetString(version.Single(f => f.Field == 3).Bytes));

        var evt = Fields(records[1]);
        Assert.Equal(7UL, evt.Single(f => f.Field == 2).Varint);
        Assert.True(BinaryPrimitives.ReadDoubleLittleEndian(evt.Single(f => f.Field == 1).Bytes) > 1.6e9);
        var value = Fields(Fields(evt.Single(f => f.Field == 5).Bytes).Single(f => f.Field == 1).Bytes);
        Assert.Equal("loss/train", Encoding.UTF8.GetString(value.Single(f => f.Field == 1).Bytes));
        Assert.Equal(0.5f, BinaryPrimitives.ReadSingleLittleEndian(value.Single(f => f.Field == 2).Bytes));

        var histo = Fields(Fields(Fields(Fields(records[2]).Single(f => f.Field == 5).Bytes).Single(f => f.Field == 1).Bytes).Single(f => f.Field == 5).Bytes);
        Assert.Equal(1.0, BinaryPrimitives.ReadDoubleLittleEndian(histo.Single(f => f.Field == 1).Bytes));
        Assert.Equal(3.0, BinaryPrimitives.ReadDoubleLittleEndian(histo.Single(f => f.Field == 2).Bytes));
        Assert.Equal(4.0, BinaryPrimitives.ReadDoubleLittleEndian(histo.Single(f => f.Field == 3).Bytes));
        var counts = histo.Single(f => f.Field == 7).Bytes;
        Assert.Equal(1.0, BinaryPrimitives.ReadDoubleLittleEndian(counts));
        Assert.Equal(3.0, BinaryPrimitives.ReadDoubleLittleEndian(counts.AsSpan(8)));
    }
}
