using System.Buffers.Binary;
using System.Text;

namespace PSTorch.IO.TensorBoard;

/// <summary>The few protobuf wire-format encodings the Event/Summary messages need (varint, 64/32-bit, length-delimited).</summary>
internal sealed class ProtoWriter
{
    readonly MemoryStream buffer = new();

    public byte[] ToArray() => buffer.ToArray();

    void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    void Varint(ulong v)
    {
        while (v >= 0x80)
        {
            buffer.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        buffer.WriteByte((byte)v);
    }

    public ProtoWriter Int64(int field, long v) { Tag(field, 0); Varint(unchecked((ulong)v)); return this; }

    public ProtoWriter Double(int field, double v)
    {
        Tag(field, 1);
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, v);
        buffer.Write(b);
        return this;
    }

    public ProtoWriter Float(int field, float v)
    {
        Tag(field, 5);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, v);
        buffer.Write(b);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> v)
    {
        Tag(field, 2);
        Varint((ulong)v.Length);
        buffer.Write(v);
        return this;
    }

    public ProtoWriter String(int field, string v) => Bytes(field, Encoding.UTF8.GetBytes(v));

    public ProtoWriter Message(int field, ProtoWriter m) => Bytes(field, m.ToArray());

    /// <summary>A packed repeated double field.</summary>
    public ProtoWriter PackedDoubles(int field, IReadOnlyList<double> values)
    {
        var bytes = new byte[values.Count * 8];
        for (int i = 0; i < values.Count; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        return Bytes(field, bytes);
    }
}
