using System.Runtime.InteropServices;
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
    SKBitmap? bitmap;
    Encoded? encoded;

    internal Image(SKBitmap bitmap, int channels)
    {
        this.bitmap = bitmap;
        Channels = channels;
    }

    Image(Encoded encoded)
    {
        this.encoded = encoded;
        Channels = encoded.Codec.Info.ColorType == SKColorType.Gray8 ? 1 : 3;
    }

    /// <summary>The pixels; an image opened by <see cref="Load"/> is decoded (at full size) on first use.</summary>
    internal SKBitmap Bitmap => bitmap ??= DecodeFull();

    public int Width => bitmap?.Width ?? encoded!.Codec.Info.Width;
    public int Height => bitmap?.Height ?? encoded!.Codec.Info.Height;

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

    /// <summary>
    /// Opens a PNG/JPEG/BMP/GIF/WebP file; a file that is not an image gives an error naming it. Like PIL's
    /// Image.open, only the header is read here: the pixels are decoded on first use, and a RandomResizedCrop
    /// that shrinks a JPEG decodes it at a reduced scale (libjpeg's DCT scaling, as PIL's draft mode) instead of in full.
    /// </summary>
    public static Image Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot read image file '{path}': {e.Message}", e);
        }
        return new Image(Encoded.Open(bytes, path));
    }

    /// <summary>Decodes encoded image bytes now; <paramref name="name"/> names the source in errors.</summary>
    public static Image Decode(byte[] encoded, string name = "<bytes>")
    {
        var image = new Image(Encoded.Open(encoded, name));
        _ = image.Bitmap;
        return image;
    }

    SKBitmap DecodeFull()
    {
        var full = encoded!.DecodeAt(encoded.Codec.Info.Size);
        encoded.Dispose();
        encoded = null;
        return full;
    }

    /// <summary>An encoded image not yet decoded: its bytes and the codec that has read their header.</summary>
    sealed class Encoded(SKData data, SKCodec codec, string name) : IDisposable
    {
        public SKCodec Codec { get; } = codec;

        public static Encoded Open(byte[] bytes, string name)
        {
            var data = SKData.CreateCopy(bytes);
            var codec = SKCodec.Create(data);
            if (codec is null || codec.Info.Width == 0)
            {
                codec?.Dispose();
                data.Dispose();
                throw new InvalidDataException($"Cannot decode image file '{name}': not a recognised image format or the file is corrupt");
            }
            return new Encoded(data, codec, name);
        }

        /// <summary>Decodes to <paramref name="size"/>: the full size, or one <see cref="SKCodec.GetScaledDimensions"/> offers.</summary>
        public SKBitmap DecodeAt(SKSizeI size)
        {
            var decoded = new SKBitmap(Info(size.Width, size.Height));
            var result = Codec.GetPixels(decoded.Info, decoded.GetPixels());
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            {
                decoded.Dispose();
                throw new InvalidDataException($"Cannot decode image file '{name}': {result}");
            }
            return decoded;
        }

        public void Dispose()
        {
            Codec.Dispose();
            data.Dispose();
        }
    }

    /// <summary>Writes the image as PNG or JPEG (chosen by the file's extension, or by <paramref name="format"/>).</summary>
    public void Save(string path, string? format = null, int quality = 95)
    {
        var bytes = Encode(format ?? Path.GetExtension(path), quality);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The image encoded as PNG or JPEG: grayscale images as 8-bit gray, colour images as opaque RGB.</summary>
    public byte[] Encode(string format = "png", int quality = 95)
    {
        var kind = ImageFormats.FromName(format);
        using var image = Channels == 1 ? ToGray8() : ToOpaqueRgb();
        using var data = image.Encode(kind, quality) ?? throw new IOException($"Cannot encode image as {kind}");
        return data.ToArray();
    }

    /// <summary>The pixels viewed as opaque (alpha is always 255 here), so PNG stores RGB rather than RGBA.</summary>
    SKImage ToOpaqueRgb() =>
        SKImage.FromPixelCopy(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque), Bitmap.GetPixels(), Bitmap.RowBytes);

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

    /// <summary>
    /// The region (left, top, width, height) scaled to width x height with antialiased bilinear filtering
    /// (<see cref="Resampling"/>). An image not decoded
    /// yet is decoded at the smallest scale its codec offers that still leaves the region at least width x height.
    /// </summary>
    internal Image ResizedCrop(float left, float top, float cropWidth, float cropHeight, int width, int height)
    {
        if (bitmap is null && encoded is { } pending && ScaledSize(pending.Codec, cropWidth, cropHeight, width, height) is { } size)
        {
            using var reduced = pending.DecodeAt(size);
            float sx = (float)size.Width / Width, sy = (float)size.Height / Height;
            return ResizedCrop(reduced, Channels, left * sx, top * sy, cropWidth * sx, cropHeight * sy, width, height);
        }
        return ResizedCrop(Bitmap, Channels, left, top, cropWidth, cropHeight, width, height);
    }

    /// <summary>
    /// The reduced size to decode at for a crop that shrinks (libjpeg scales by n/8), or null when only the full size
    /// keeps the crop at least width x height. Rounding up per axis keeps the scaled crop no smaller than asked.
    /// </summary>
    static SKSizeI? ScaledSize(SKCodec codec, float cropWidth, float cropHeight, int width, int height)
    {
        var full = codec.Info.Size;
        double needed = Math.Max(width / (double)cropWidth, height / (double)cropHeight);
        for (int eighths = Math.Max(1, (int)Math.Ceiling(needed * 8 - 1e-9)); eighths < 8; eighths++)
        {
            var size = codec.GetScaledDimensions(eighths / 8f);
            if (size.Width >= full.Width) return null;
            if (cropWidth * size.Width / full.Width >= width && cropHeight * size.Height / full.Height >= height) return size;
        }
        return null;
    }

    static unsafe Image ResizedCrop(SKBitmap source, int channels, float left, float top, float cropWidth, float cropHeight, int width, int height)
    {
        var result = new SKBitmap(Info(width, height));
        Resampling.ResizeRegion(new ReadOnlySpan<byte>((void*)source.GetPixels(), source.Width * source.Height * 4), source.Width, source.Height,
            left, top, cropWidth, cropHeight, new Span<byte>((void*)result.GetPixels(), width * height * 4), width, height);
        return new Image(result, channels);
    }

    /// <summary>The image mirrored left-right: each row's pixels reversed (a plain copy; no resampling needed).</summary>
    internal Image MirroredLeftRight()
    {
        var bitmap = new SKBitmap(Info(Width, Height));
        var source = MemoryMarshal.Cast<byte, uint>(Pixels);
        unsafe
        {
            var target = new Span<uint>((void*)bitmap.GetPixels(), Width * Height);
            for (int y = 0; y < Height; y++)
            {
                var row = target.Slice(y * Width, Width);
                source.Slice(y * Width, Width).CopyTo(row);
                row.Reverse();
            }
        }
        return new Image(bitmap, Channels);
    }

    /// <summary>A copy with another channel count label (pixels unchanged).</summary>
    internal Image WithChannels(int channels) => new(Bitmap.Copy(), channels);

    public void Dispose()
    {
        bitmap?.Dispose();
        encoded?.Dispose();
    }

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
