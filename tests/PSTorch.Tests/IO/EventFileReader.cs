using System.Buffers.Binary;
using System.Text;

namespace PSTorch.Tests.IO;

/// <summary>
/// A TensorBoard event-file reader written from the format's specification and sharing no code with the writer:
/// its own bitwise CRC-32C, its own protobuf field decoder. Reading fails (assertion) on any bad CRC or truncated record.
/// </summary>
internal static class EventFileReader
{
    /// <summary>Bitwise CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), no table.</summary>
    public static uint ReferenceCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++) crc = (crc >> 1) ^ (0x82F63B78u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    /// <summary>TFRecord's mask: rotate right by 15 bits, add 0xa282ead8.</summary>
    public static uint Mask(uint crc) => (uint)(((((ulong)crc >> 15) | ((ulong)crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8u);

    /// <summary>The payloads of every TFRecord in the file, both CRCs of each verified.</summary>
    public static List<byte[]> ReadRecords(string path)
    {
        var bytes = ReadShared(path);
        var records = new List<byte[]>();
        int p = 0;
        while (p < bytes.Length)
        {
            Assert.True(bytes.Length - p >= 12, $"truncated record header at byte {p}");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(p));
            Assert.Equal(Mask(ReferenceCrc32C(bytes.AsSpan(p, 8))), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(p + 8)));
            Assert.True((ulong)(bytes.Length - p - 16) >= length, $"truncated record at byte {p}");
            var data = bytes.AsSpan(p + 12, (int)length).ToArray();
            Assert.Equal(Mask(ReferenceCrc32C(data)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(p + 12 + (int)length)));
            records.Add(data);
            p += 12 + (int)length + 4;
        }
        return records;
    }

    /// <summary>The file's bytes, read while a writer may still hold it open.</summary>
    public static byte[] ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return copy.ToArray();
    }

    public static List<Event> ReadEvents(string path) => ReadRecords(path).Select(Event.Parse).ToList();

    /// <summary>One protobuf field: number, wire type, and the varint, the fixed bytes or the length-delimited bytes.</summary>
    public readonly record struct Field(int Number, int Wire, ulong Varint, byte[] Bytes)
    {
        public double Double => BinaryPrimitives.ReadDoubleLittleEndian(Bytes);
        public float Float => BinaryPrimitives.ReadSingleLittleEndian(Bytes);
        public string Text => Encoding.UTF8.GetString(Bytes);
        public double[] PackedDoubles
        {
            get
            {
                var values = new double[Bytes.Length / 8];
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(Bytes.AsSpan(i * 8));
                return values;
            }
        }
    }

    public static List<Field> Fields(byte[] message)
    {
        var fields = new List<Field>();
        int p = 0;
        ulong ReadVarint()
        {
            ulong v = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = message[p++];
                v |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return v;
            }
        }
        while (p < message.Length)
        {
            var key = ReadVarint();
            int number = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: fields.Add(new(number, wire, ReadVarint(), [])); break;
                case 1: fields.Add(new(number, wire, 0, message[p..(p + 8)])); p += 8; break;
                case 5: fields.Add(new(number, wire, 0, message[p..(p + 4)])); p += 4; break;
                case 2:
                    int n = (int)ReadVarint();
                    fields.Add(new(number, wire, 0, message[p..(p + n)]));
                    p += n;
                    break;
                default: throw new InvalidDataException($"unexpected wire type {wire}");
            }
        }
        return fields;
    }

    /// <summary>event.proto's Event: wall_time = 1, step = 2, file_version = 3, summary = 5.</summary>
    public sealed record Event(double WallTime, long Step, string? FileVersion, List<Value> Values)
    {
        public static Event Parse(byte[] data)
        {
            var f = Fields(data);
            var summary = f.SingleOrDefault(x => x.Number == 5);
            var values = summary.Bytes is null ? [] : Fields(summary.Bytes).Where(x => x.Number == 1).Select(x => Value.Parse(x.Bytes)).ToList();
            return new Event(
                f.Single(x => x.Number == 1).Double,
                (long)(f.SingleOrDefault(x => x.Number == 2).Varint),
                f.SingleOrDefault(x => x.Number == 3).Bytes is { } version ? Encoding.UTF8.GetString(version) : null,
                values);
        }
    }

    /// <summary>Summary.Value: tag = 1, simple_value = 2, image = 4, histo = 5, tensor = 8, metadata = 9.</summary>
    public sealed record Value(string Tag, float? SimpleValue, Histo? Histo, Image? Image, string[]? Strings, string? PluginName)
    {
        public static Value Parse(byte[] data)
        {
            var f = Fields(data);
            var field = (int n) => f.SingleOrDefault(x => x.Number == n);
            string[]? strings = field(8).Bytes is { } tensor ? Fields(tensor).Where(x => x.Number == 8).Select(x => x.Text).ToArray() : null;
            string? plugin = field(9).Bytes is { } metadata
                ? Fields(Fields(metadata).Single(x => x.Number == 1).Bytes).Single(x => x.Number == 1).Text
                : null;
            return new Value(
                field(1).Text,
                field(2).Bytes is { Length: 4 } ? field(2).Float : null,
                field(5).Bytes is { } histo ? Histo.Parse(histo) : null,
                field(4).Bytes is { } image ? Image.Parse(image) : null,
                strings,
                plugin);
        }
    }

    /// <summary>HistogramProto: min = 1, max = 2, num = 3, sum = 4, sum_squares = 5, bucket_limit = 6, bucket = 7 (packed doubles).</summary>
    public sealed record Histo(double Min, double Max, double Num, double Sum, double SumSquares, double[] Limits, double[] Counts)
    {
        public static Histo Parse(byte[] data)
        {
            var f = Fields(data);
            double D(int n) => f.Single(x => x.Number == n).Double;
            return new Histo(D(1), D(2), D(3), D(4), D(5), f.Single(x => x.Number == 6).PackedDoubles, f.Single(x => x.Number == 7).PackedDoubles);
        }
    }

    /// <summary>Summary.Image: height = 1, width = 2, colorspace = 3, encoded_image_string = 4.</summary>
    public sealed record Image(int Height, int Width, int Colorspace, byte[] Encoded)
    {
        public static Image Parse(byte[] data)
        {
            var f = Fields(data);
            int I(int n) => (int)f.Single(x => x.Number == n).Varint;
            return new Image(I(1), I(2), I(3), f.Single(x => x.Number == 4).Bytes);
        }
    }
}
