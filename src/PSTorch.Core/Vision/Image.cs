using SkiaSharp;

namespace PSTorch.Vision;

/// <summary>
/// A decoded 8-bit image (the role PIL images play in torchvision). Pixels are kept as RGBA; <see cref="Channels"/>
/// says whether the image is grayscale (1, R = G = B) or colour (3). Grayscale files stay grayscale when decoded,
/// so ToTensor gives them one channel (torchvision's default loader converts everything to RGB; use
/// Grayscale(3) for three channels).
/// </summary>
public sealed class Image : IDisposable
{
    internal Image(SKBitmap bitmap, int channels)
    {
        Bitmap = bitmap;
        Channels = channels;
    }

    internal SKBitmap Bitmap { get; }

    public int Width => Bitmap.Width;
    public int Height => Bitmap.Height;

    /// <summary>1 for grayscale, 3 for colour.</summary>
    public int Channels { get; }

    /// <summary>PIL's mode name: "L" or "RGB".</summary>
    public string Mode => Channels == 1 ? "L" : "RGB";

    internal static SKImageInfo Info(int width, int height) => new(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);

    /// <summary>A new image filled with one gray level (0..255).</summary>
    public static Image Create(int width, int height, int channels, byte fill = 0)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive, got {width}x{height}");
        if (channels is not (1 or 3)) throw new ArgumentException($"images have 1 or 3 channels, got {channels}");
        var bitmap = new SKBitmap(Info(width, height));
        bitmap.Erase(new SKColor(fill, fill, fill, 255));
        return new Image(bitmap, channels);
    }

    /// <summary>Decodes a PNG/JPEG/BMP/GIF/WebP file; a file that does not decode gives an error naming it.</summary>
    public static Image Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot read image file '{path}': {e.Message}", e);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes encoded image bytes; <paramref name="name"/> names the source in errors.</summary>
    public static Image Decode(byte[] encoded, string name = "<bytes>")
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException($"Cannot decode image file '{name}': not a recognised image format or the file is corrupt");
        var bitmap = new SKBitmap(Info(codec.Info.Width, codec.Info.Height));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput) || codec.Info.Width == 0)
        {
            bitmap.Dispose();
            throw new InvalidDataException($"Cannot decode image file '{name}': {result}");
        }
        return new Image(bitmap, codec.Info.ColorType == SKColorType.Gray8 ? 1 : 3);
    }

    /// <summary>Writes the image as PNG or JPEG (chosen by the file's extension, or by <paramref name="format"/>).</summary>
    public void Save(string path, string? format = null, int quality = 95)
    {
        var kind = ImageFormats.FromName(format ?? Path.GetExtension(path));
        using var image = Channels == 1 ? ToGray8() : SKImage.FromBitmap(Bitmap);
        using var data = image.Encode(kind, quality) ?? throw new IOException($"Cannot encode image as {kind}");
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary)) data.SaveTo(file);
        File.Move(temporary, path, overwrite: true);
    }

    SKImage ToGray8()
    {
        using var gray = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque));
        var src = Pixels;
        unsafe
        {
            var dst = new Span<byte>((void*)gray.GetPixels(), Width * Height);
            for (int i = 0; i < dst.Length; i++) dst[i] = src[4 * i];
        }
        return SKImage.FromBitmap(gray);
    }

    /// <summary>The RGBA bytes, row by row.</summary>
    internal unsafe Span<byte> Pixels => new((void*)Bitmap.GetPixels(), Width * Height * 4);

    /// <summary>
    /// A new <paramref name="width"/>x<paramref name="height"/> image whose pixel (x, y) shows this image at
    /// matrix^-1 (x, y); uncovered pixels get <paramref name="fill"/>.
    /// </summary>
    internal Image Warp(int width, int height, SKMatrix matrix, byte fill, bool smooth)
    {
        var bitmap = new SKBitmap(Info(width, height));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(fill, fill, fill, 255));
        canvas.SetMatrix(matrix);
        using var source = SKImage.FromPixels(Bitmap.PeekPixels());
        var sampling = smooth ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None) : new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None);
        using var paint = new SKPaint { BlendMode = SKBlendMode.Src };
        canvas.DrawImage(source, 0, 0, sampling, paint);
        canvas.Flush();
        return new Image(bitmap, Channels);
    }

    /// <summary>The region (left, top, width, height) scaled to width x height with bilinear filtering.</summary>
    internal Image ResizedCrop(float left, float top, float cropWidth, float cropHeight, int width, int height)
    {
        var bitmap = new SKBitmap(Info(width, height));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Black);
        using var source = SKImage.FromPixels(Bitmap.PeekPixels());
        // Mipmaps keep strong downscaling smooth (torchvision resizes with antialiasing).
        bool shrinkMuch = cropWidth > 2 * width || cropHeight > 2 * height;
        var sampling = new SKSamplingOptions(SKFilterMode.Linear, shrinkMuch ? SKMipmapMode.Linear : SKMipmapMode.None);
        using var paint = new SKPaint { BlendMode = SKBlendMode.Src };
        canvas.DrawImage(source, SKRect.Create(left, top, cropWidth, cropHeight), SKRect.Create(0, 0, width, height), sampling, paint);
        canvas.Flush();
        return new Image(bitmap, Channels);
    }

    /// <summary>A copy with another channel count label (pixels unchanged).</summary>
    internal Image WithChannels(int channels) => new(Bitmap.Copy(), channels);

    public void Dispose() => Bitmap.Dispose();

    public override string ToString() => $"Image({Width}x{Height}, mode={Mode})";
}

/// <summary>Names of the encoded formats images can be saved in.</summary>
public static class ImageFormats
{
    public static IReadOnlyList<string> Names { get; } = ["png", "jpeg"];

    internal static SKEncodedImageFormat FromName(string name) => name.TrimStart('.').ToLowerInvariant() switch
    {
        "png" => SKEncodedImageFormat.Png,
        "jpg" or "jpeg" => SKEncodedImageFormat.Jpeg,
        var other => throw new ArgumentException($"Cannot save images as '{other}': use .png, .jpg or .jpeg"),
    };
}
