using System.Buffers.Binary;

namespace PSTorch.IO.TensorBoard;

/// <summary>
/// Writes TensorBoard event files (torch.utils.tensorboard.SummaryWriter): events.out.tfevents.&lt;time&gt;.&lt;host&gt;
/// in TFRecord framing (length, masked CRC32C of the length, Event proto, masked CRC32C of the proto), starting with
/// a file_version event. Scalars, histograms and images are Summary values, as TensorBoard's EventAccumulator reads them.
/// </summary>
public sealed class SummaryWriter : IDisposable
{
    readonly FileStream stream;
    readonly object gate = new();

    public SummaryWriter(string logDir)
    {
        LogDir = Path.GetFullPath(logDir);
        Directory.CreateDirectory(LogDir);
        long seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        FilePath = Path.Combine(LogDir, $"events.out.tfevents.{seconds}.{Environment.MachineName}");
        stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read);
        WriteEvent(new ProtoWriter().Double(1, WallTime()).String(3, "brain.Event:2"));
        Flush();
    }

    public string LogDir { get; }
    public string FilePath { get; }

    static double WallTime() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>add_scalar(tag, value, step).</summary>
    public void AddScalar(string tag, double value, long step = 0, double? wallTime = null) =>
        WriteSummary(new ProtoWriter().String(1, tag).Float(2, (float)value), step, wallTime);

    /// <summary>add_histogram(tag, values, step): bucketed like TensorBoard's default (min, max, num, sum, sum of squares, bucket limits and counts).</summary>
    public void AddHistogram(string tag, Tensor values, long step = 0, int bins = 30, double? wallTime = null)
    {
        var v = values.Detach().Cpu().To(DType.Float64).Contiguous().ToArray<double>();
        if (v.Length == 0) throw new ArgumentException("The histogram is empty, please file a bug report.");
        double min = v.Min(), max = v.Max(), sum = 0, sumSq = 0;
        foreach (var x in v) { sum += x; sumSq += x * x; }
        var limits = new List<double>();
        var counts = new List<double>();
        double width = max > min ? (max - min) / bins : 1;
        var c = new double[bins];
        foreach (var x in v) c[Math.Min(bins - 1, (int)((x - min) / width))]++;
        for (int i = 0; i < bins; i++)
        {
            limits.Add(i == bins - 1 ? max : min + (i + 1) * width);
            counts.Add(c[i]);
        }
        var histo = new ProtoWriter().Double(1, min).Double(2, max).Double(3, v.Length).Double(4, sum).Double(5, sumSq)
            .PackedDoubles(6, limits).PackedDoubles(7, counts);
        WriteSummary(new ProtoWriter().String(1, tag).Message(5, histo), step, wallTime);
    }

    /// <summary>add_image with an already encoded PNG (height, width, channels as encoded).</summary>
    public void AddImage(string tag, byte[] png, int height, int width, int channels, long step = 0, double? wallTime = null)
    {
        var image = new ProtoWriter().Int64(1, height).Int64(2, width).Int64(3, channels).Bytes(4, png);
        WriteSummary(new ProtoWriter().String(1, tag).Message(4, image), step, wallTime);
    }

    void WriteSummary(ProtoWriter value, long step, double? wallTime)
    {
        var summary = new ProtoWriter().Message(1, value);
        WriteEvent(new ProtoWriter().Double(1, wallTime ?? WallTime()).Int64(2, step).Message(5, summary));
    }

    void WriteEvent(ProtoWriter evt)
    {
        var data = evt.ToArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Mask(Crc32C.Compute(header[..8])));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Mask(Crc32C.Compute(data)));
        lock (gate)
        {
            stream.Write(header);
            stream.Write(data);
            stream.Write(footer);
        }
    }

    /// <summary>Makes everything written so far visible to readers.</summary>
    public void Flush()
    {
        lock (gate) stream.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        Flush();
        stream.Dispose();
    }
}
