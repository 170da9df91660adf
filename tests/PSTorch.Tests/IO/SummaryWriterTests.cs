using PSTorch;
using PSTorch.IO.TensorBoard;
using SkiaSharp;
using Xunit;
using static PSTorch.Tests.IO.EventFileReader;

namespace PSTorch.Tests.IO;

public sealed class SummaryWriterTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("pstorch-tb-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static double Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    [Fact]
    public void CrcMatchesTheStandardCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0xE3069283u, ReferenceCrc32C("123456789"u8));
    }

    [Fact]
    public void MaskRotatesRightBy15AndAddsTheConstant()
    {
        Assert.Equal(0xA282EAD8u, Crc32C.Mask(0));
        Assert.Equal(0xA282EAD8u + (1u << 17), Crc32C.Mask(1));
        Assert.Equal(unchecked(0xA282EAD8u + 1u), Crc32C.Mask(1u << 15));
    }

    [Fact]
    public void ScalarRecord_IsByteExactAgainstTheSpecWorkedByHand()
    {
        string file;
        using (var w = new SummaryWriter(dir))
        {
            w.AddScalar("a", 0.5, step: 7, wallTime: 1.5);
            file = w.FilePath;
        }
        byte[] expected =
        [
            0x17, 0, 0, 0, 0, 0, 0, 0,                      // uint64 length 23
            0xE7, 0xCE, 0xF8, 0x1E,                          // masked CRC32C of those 8 bytes
            0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F,              // Event.wall_time (1, fixed64) = 1.5
            0x10, 0x07,                                      // Event.step (2, varint) = 7
            0x2A, 0x0A,                                      // Event.summary (5, 10 bytes)
            0x0A, 0x08,                                      //   Summary.value (1, 8 bytes)
            0x0A, 0x01, 0x61,                                //     Value.tag (1) = "a"
            0x15, 0x00, 0x00, 0x00, 0x3F,                    //     Value.simple_value (2, fixed32) = 0.5f
            0x6F, 0xD6, 0x4F, 0x8C,                          // masked CRC32C of the 23 payload bytes
        ];
        var bytes = File.ReadAllBytes(file);
        int firstRecordLength = 12 + ReadRecords(file)[0].Length + 4;
        Assert.Equal(expected, bytes[firstRecordLength..]);
    }

    [Fact]
    public void FileIsNamedLikeTensorBoardsAndStartsWithTheFileVersion()
    {
        double before = Math.Floor(Now);
        using var w = new SummaryWriter(dir);
        var name = Path.GetFileName(w.FilePath);
        var match = System.Text.RegularExpressions.Regex.Match(name, @"^events\.out\.tfevents\.(\d+)\.(.+)$");
        Assert.True(match.Success, name);
        Assert.InRange(double.Parse(match.Groups[1].Value), before, Now + 1);
        Assert.Equal(Environment.MachineName, match.Groups[2].Value);
        var first = Assert.Single(ReadEvents(w.FilePath)); // readable while the writer is open
        Assert.Equal("brain.Event:2", first.FileVersion);
        Assert.InRange(first.WallTime, before, Now + 1);
        Assert.Empty(first.Values);
    }

    [Fact]
    public void ScalarsKeepTagStepValueAndWallTime()
    {
        double before = Now - 0.001;
        using var w = new SummaryWriter(dir);
        w.AddScalar("loss/train", 0.25, step: 1);
        w.AddScalar("loss/train", 0.125, step: 2);
        w.AddScalar("accuracy", 1.0 / 3, step: 123456789012);
        w.Flush();
        var events = ReadEvents(w.FilePath).Skip(1).ToList();
        Assert.Equal([1L, 2L, 123456789012L], events.Select(e => e.Step));
        Assert.Equal(["loss/train", "loss/train", "accuracy"], events.Select(e => Assert.Single(e.Values).Tag));
        Assert.Equal([0.25f, 0.125f, 1f / 3], events.Select(e => e.Values[0].SimpleValue!.Value));
        Assert.All(events, e => Assert.InRange(e.WallTime, before, Now + 0.001));
    }

    [Fact]
    public void ScalarAtStepZero_ReadsAsStepZero()
    {
        using var w = new SummaryWriter(dir);
        w.AddScalar("x", -2, step: 0);
        w.Flush();
        var e = ReadEvents(w.FilePath)[1];
        Assert.Equal(0, e.Step);
        Assert.Equal(-2f, e.Values[0].SimpleValue);
    }

    [Fact]
    public void DefaultHistogram_UsesTensorBoardBucketsWithEmptyRunsCollapsed()
    {
        double[] values = [-1, 0, 0.5, 0.5, 2, 2e-12];
        using var w = new SummaryWriter(dir);
        w.AddHistogram("weights", Torch.FromArray(values), step: 3);
        w.Flush();
        var evt = ReadEvents(w.FilePath)[1];
        Assert.Equal(3, evt.Step);
        var h = Assert.Single(evt.Values).Histo!;
        Assert.Equal(-1, h.Min);
        Assert.Equal(2, h.Max);
        Assert.Equal(6, h.Num);
        Assert.Equal(values.Sum(), h.Sum, 12);
        Assert.Equal(values.Sum(v => v * v), h.SumSquares, 12);
        Assert.Equal(h.Limits.Length, h.Counts.Length);
        Assert.Equal(6, h.Counts.Sum());
        // bucket i holds [limit(i-1), limit(i)); recount every bucket from the values
        for (int i = 0; i < h.Limits.Length; i++)
        {
            double low = i == 0 ? double.NegativeInfinity : h.Limits[i - 1];
            Assert.Equal(values.Count(v => v >= low && v < h.Limits[i]), h.Counts[i]);
        }
        for (int i = 1; i < h.Counts.Length; i++) Assert.False(h.Counts[i] == 0 && h.Counts[i - 1] == 0, "two empty buckets in a row");
        Assert.Equal(double.MaxValue, h.Limits[^1]);
        // 0 lands in the bucket [0, 1e-12); 2e-12 in one whose limits come from 1e-12 * 1.1^k
        int zero = Array.FindIndex(h.Limits, l => l > 0);
        Assert.Equal(1e-12, h.Limits[zero], 1e-24);
        Assert.Equal(1, h.Counts[zero]);
        Assert.Equal(0, h.Limits[zero - 1]);
        double k = Math.Log(h.Limits[Array.FindIndex(h.Limits, l => l > 2e-12)] / 1e-12) / Math.Log(1.1);
        Assert.Equal(Math.Round(k), k, 6);
    }

    [Fact]
    public void HistogramWithBins_UsesEqualWidthBuckets()
    {
        using var w = new SummaryWriter(dir);
        w.AddHistogram("weights", Torch.FromArray(new float[] { 1, 2, 2, 3 }), step: 1, bins: 2);
        w.Flush();
        var h = ReadEvents(w.FilePath)[1].Values[0].Histo!;
        Assert.Equal([2.0, 3.0], h.Limits);
        Assert.Equal([1.0, 3.0], h.Counts);
        Assert.Equal(4, h.Num);
    }

    [Fact]
    public void Histogram_RefusesEmptyAndNonFiniteValues()
    {
        using var w = new SummaryWriter(dir);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => w.AddHistogram("h", Torch.FromArray(Array.Empty<float>()))).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => w.AddHistogram("h", Torch.FromArray(new[] { 1f, float.NaN }))).Message);
    }

    static SKBitmap DecodePng(byte[] png) => SKBitmap.Decode(png) ?? throw new InvalidDataException("not a PNG");

    /// <summary>The colour type byte of a PNG's IHDR chunk: 0 gray, 2 RGB, 6 RGBA.</summary>
    static byte PngColourType(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        return png[25];
    }

    [Fact]
    public void ImageFromAFloatChwTensor_IsAnRgbPngOfTheSameSize()
    {
        // 3 x 2 x 4: red channel 1 in the left half, green 0.5 everywhere, blue 0
        var chw = new float[3 * 2 * 4];
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 4; x++)
            {
                chw[y * 4 + x] = x < 2 ? 1 : 0;
                chw[8 + y * 4 + x] = 0.5f;
            }
        using var w = new SummaryWriter(dir);
        w.AddImage("sample", Torch.FromArray(chw, [3, 2, 4]), step: 5);
        w.Flush();
        var evt = ReadEvents(w.FilePath)[1];
        Assert.Equal(5, evt.Step);
        var image = Assert.Single(evt.Values).Image!;
        Assert.Equal((2, 4, 3), (image.Height, image.Width, image.Colorspace));
        Assert.Equal(2, PngColourType(image.Encoded));
        using var bitmap = DecodePng(image.Encoded);
        Assert.Equal((4, 2), (bitmap.Width, bitmap.Height));
        Assert.Equal(new SKColor(255, 128, 0), bitmap.GetPixel(0, 1));
        Assert.Equal(new SKColor(0, 128, 0), bitmap.GetPixel(3, 0));
    }

    [Fact]
    public void ImageFromAUInt8HwTensor_IsAGrayPng()
    {
        using var w = new SummaryWriter(dir);
        w.AddImage("gray", Torch.FromArray(new byte[] { 0, 50, 100, 150, 200, 250 }, [2, 3]));
        w.Flush();
        var image = ReadEvents(w.FilePath)[1].Values[0].Image!;
        Assert.Equal((2, 3, 1), (image.Height, image.Width, image.Colorspace));
        Assert.Equal(0, PngColourType(image.Encoded));
        using var bitmap = DecodePng(image.Encoded);
        Assert.Equal(150, bitmap.GetPixel(0, 1).Red);
        Assert.Equal(250, bitmap.GetPixel(2, 1).Green);
    }

    [Fact]
    public void Image_RefusesAShapeThatIsNotAnImage()
    {
        using var w = new SummaryWriter(dir);
        var e = Assert.Throws<ArgumentException>(() => w.AddImage("bad", Torch.Zeros(2, 3, 4)));
        Assert.Contains("[2, 3, 4]", e.Message);
    }

    [Fact]
    public void Images_TileABatchIntoAGrid()
    {
        // four 1 x 5 x 5 uint8 images, two per row, padding 2: (2 * (5 + 2) + 2) = 16 pixels square
        var batch = Torch.Full([4, 1, 5, 5], 255.0, DType.UInt8);
        using var w = new SummaryWriter(dir);
        w.AddImages("batch", batch, step: 1, nrow: 2);
        w.Flush();
        var image = ReadEvents(w.FilePath)[1].Values[0].Image!;
        Assert.Equal((16, 16, 3), (image.Height, image.Width, image.Colorspace));
        using var bitmap = DecodePng(image.Encoded);
        Assert.Equal(SKColors.White, bitmap.GetPixel(2, 2));  // first image
        Assert.Equal(SKColors.Black, bitmap.GetPixel(0, 0));  // padding
        Assert.Equal(SKColors.White, bitmap.GetPixel(13, 13)); // fourth image
        Assert.Throws<ArgumentException>(() => w.AddImages("one", Torch.Zeros(1, 5, 5)));
    }

    [Fact]
    public void Text_IsAStringTensorForTheTextPlugin()
    {
        using var w = new SummaryWriter(dir);
        w.AddText("notes", "learning rate 1e-3 — Adam", step: 2);
        w.Flush();
        var value = Assert.Single(ReadEvents(w.FilePath)[1].Values);
        Assert.Equal("notes/text_summary", value.Tag);
        Assert.Equal("text", value.PluginName);
        Assert.Equal(["learning rate 1e-3 — Adam"], value.Strings!);
    }

    [Fact]
    public void DisposeTwice_IsHarmless_AndWritingAfterDisposeIsRefused()
    {
        var w = new SummaryWriter(dir);
        w.AddScalar("x", 1, 1);
        w.Dispose();
        w.Dispose();
        Assert.Throws<ObjectDisposedException>(() => w.AddScalar("x", 2, 2));
        Assert.Equal(2, ReadEvents(w.FilePath).Count);
    }

    [Fact]
    public void TwoWritersInOneFolder_WriteTwoFiles()
    {
        using var a = new SummaryWriter(dir);
        using var b = new SummaryWriter(dir);
        Assert.NotEqual(a.FilePath, b.FilePath);
        a.AddScalar("a", 1, 1);
        b.AddScalar("b", 2, 1);
        a.Flush();
        b.Flush();
        Assert.Equal("a", ReadEvents(a.FilePath)[1].Values[0].Tag);
        Assert.Equal("b", ReadEvents(b.FilePath)[1].Values[0].Tag);
    }
}
