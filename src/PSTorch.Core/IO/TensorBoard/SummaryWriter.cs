using System.Buffers.Binary;
using PSTorch.Vision;

namespace PSTorch.IO.TensorBoard;

/// <summary>
/// Writes TensorBoard event files (torch.utils.tensorboard.SummaryWriter): events.out.tfevents.&lt;time&gt;.&lt;host&gt;
/// in TFRecord framing (length, masked CRC32C of the length, Event proto, masked CRC32C of the proto), starting with
/// a file_version event. Scalars, histograms, images and text are Summary values, as TensorBoard's EventAccumulator
/// reads them. Every Add call writes its record at once; <see cref="Flush"/> makes it visible to readers.
/// </summary>
public sealed class SummaryWriter : IDisposable
{
    /// <summary>The file_version every event file starts with.</summary>
    public const string FileVersion = "brain.Event:2";

    readonly FileStream stream;
    readonly object gate = new();
    bool disposed;

    public SummaryWriter(string logDir)
    {
        LogDir = Path.GetFullPath(logDir);
        Directory.CreateDirectory(LogDir);
        (FilePath, stream) = CreateEventFile(LogDir);
        WriteEvent(EventHeader(WallTime(), 0).String(3, FileVersion));
        Flush();
    }

    public string LogDir { get; }
    public string FilePath { get; }

    /// <summary>
    /// A new events.out.tfevents.&lt;unix seconds&gt;.&lt;host&gt; file; a second writer started in the same second
    /// gets a numbered suffix instead of appending to the first one's file (TensorBoard reads every file whose name holds "tfevents").
    /// </summary>
    static (string Path, FileStream Stream) CreateEventFile(string logDir)
    {
        string name = $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.MachineName}";
        for (int attempt = 0; ; attempt++)
        {
            var path = Path.Combine(logDir, attempt == 0 ? name : $"{name}.{attempt}");
            try
            {
                return (path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read));
            }
            catch (IOException) when (File.Exists(path) && attempt < 1000)
            {
            }
        }
    }

    static double WallTime() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>add_scalar(tag, value, step): a simple_value (stored as float32, as TensorBoard does).</summary>
    public void AddScalar(string tag, double value, long step = 0, double? wallTime = null) =>
        WriteSummary(new ProtoWriter().String(1, tag).Float(2, (float)value), step, wallTime);

    /// <summary>
    /// add_histogram(tag, values, step). Without <paramref name="bins"/>, values are counted in TensorBoard's default
    /// buckets (limits ±1e-12·1.1^k up to 1e20, and 0) with runs of empty buckets collapsed, as TensorFlow's
    /// Histogram::EncodeToProto writes them; with <paramref name="bins"/>, in that many equal-width buckets from min to max.
    /// </summary>
    public void AddHistogram(string tag, Tensor values, long step = 0, int? bins = null, double? wallTime = null)
    {
        var v = values.Detach().Cpu().To(DType.Float64).Contiguous().ToArray<double>();
        if (v.Length == 0) throw new ArgumentException("The histogram is empty, please file a bug report.");
        if (v.Any(x => !double.IsFinite(x))) throw new ArgumentException($"The histogram '{tag}' has NaN or infinite values");
        if (bins is <= 0) throw new ArgumentException($"bins must be positive, got {bins}");
        var histogram = bins is { } count ? Histogram.EqualWidth(v, count) : Histogram.TensorBoardDefault(v);
        WriteSummary(new ProtoWriter().String(1, tag).Message(5, histogram.ToProto()), step, wallTime);
    }

    /// <summary>add_image with an already encoded PNG; <paramref name="channels"/> is Summary.Image's colorspace (1 gray, 3 RGB, 4 RGBA).</summary>
    public void AddImage(string tag, byte[] png, int height, int width, int channels, long step = 0, double? wallTime = null)
    {
        var image = new ProtoWriter().Int64(1, height).Int64(2, width).Int64(3, channels).Bytes(4, png);
        WriteSummary(new ProtoWriter().String(1, tag).Message(4, image), step, wallTime);
    }

    /// <summary>
    /// add_image(tag, img, step) for a [C, H, W] (C = 1 or 3) or [H, W] tensor, float in [0, 1] or uint8, stored as PNG.
    /// </summary>
    public void AddImage(string tag, Tensor image, long step = 0, double? wallTime = null)
    {
        using var picture = ToImage.Convert(image);
        AddImage(tag, picture.Encode("png"), picture.Height, picture.Width, picture.Channels, step, wallTime);
    }

    /// <summary>add_images(tag, batch, step): a [B, C, H, W] batch (float in [0, 1] or uint8) tiled into one grid image (torchvision's make_grid).</summary>
    public void AddImages(string tag, Tensor batch, long step = 0, int nrow = 8, int padding = 2, bool normalize = false, double? wallTime = null)
    {
        if (batch.NDim != 4)
            throw new ArgumentException($"AddImages expects a [B, C, H, W] batch, got shape {Shapes.Format(batch.ShapeRef)}");
        // make_grid works on floats in [0, 1]; uint8 pixels are scaled into that range first
        var images = batch.DType == DType.UInt8 ? batch.To(DType.Float32).Div(255.0) : batch;
        AddImage(tag, ImageGrid.MakeGrid(images, nrow, padding, normalize), step, wallTime);
    }

    /// <summary>add_text(tag, text, step): a string tensor for TensorBoard's text plugin, under tag + "/text_summary" as PyTorch names it.</summary>
    public void AddText(string tag, string text, long step = 0, double? wallTime = null)
    {
        var pluginData = new ProtoWriter().String(1, "text"); // TextPluginData(version=0) serialises to nothing
        var metadata = new ProtoWriter().Message(1, pluginData);
        var shape = new ProtoWriter().Message(2, new ProtoWriter().Int64(1, 1));
        var tensor = new ProtoWriter().Int64(1, DataTypeString).Message(2, shape).String(8, text);
        WriteSummary(new ProtoWriter().String(1, tag + "/text_summary").Message(9, metadata).Message(8, tensor), step, wallTime);
    }

    /// <summary>TensorFlow's DataType DT_STRING.</summary>
    const int DataTypeString = 7;

    /// <summary>Event.wall_time and Event.step; a step of 0 is left out, as protobuf leaves out a proto3 default.</summary>
    static ProtoWriter EventHeader(double wallTime, long step)
    {
        var evt = new ProtoWriter().Double(1, wallTime);
        return step != 0 ? evt.Int64(2, step) : evt;
    }

    void WriteSummary(ProtoWriter value, long step, double? wallTime)
    {
        var summary = new ProtoWriter().Message(1, value);
        WriteEvent(EventHeader(wallTime ?? WallTime(), step).Message(5, summary));
    }

    void WriteEvent(ProtoWriter evt)
    {
        var record = TFRecord.Frame(evt.ToArray());
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            stream.Write(record);
        }
    }

    /// <summary>Makes everything written so far visible to readers.</summary>
    public void Flush()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Flushes and closes the file; a second call does nothing.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            stream.Flush(flushToDisk: true);
            stream.Dispose();
        }
    }
}

/// <summary>TFRecord framing: uint64 length, masked CRC32C of the length bytes, the data, masked CRC32C of the data (all little-endian).</summary>
public static class TFRecord
{
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        var record = new byte[8 + 4 + data.Length + 4];
        var span = record.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Crc32C.Mask(Crc32C.Compute(span[..8])));
        data.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(12 + data.Length)..], Crc32C.Mask(Crc32C.Compute(data)));
        return record;
    }
}
