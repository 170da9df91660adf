using PSTorch.Data;
using SkiaSharp;

namespace PSTorch.Vision;

/// <summary>Cropping shared by the crop transforms: regions outside the image read as zero (as torchvision's F.crop).</summary>
internal static class Cropping
{
    public static Image Crop(Image image, int top, int left, int height, int width, byte fill = 0) =>
        image.Warp(width, height, SKMatrix.CreateTranslation(-left, -top), fill, smooth: false);

    public static (int Height, int Width) ParseSize(int[] size, string name) => size.Length switch
    {
        1 when size[0] > 0 => (size[0], size[0]),
        2 when size[0] > 0 && size[1] > 0 => (size[0], size[1]),
        _ => throw new ArgumentException($"{name} size must be one positive number or (height, width), got ({string.Join(", ", size)})"),
    };
}

/// <summary>torchvision.transforms.CenterCrop: the central (height, width) region, zero-padded when the image is smaller.</summary>
public sealed class CenterCrop : Transform
{
    public CenterCrop(params int[] size) => (Height, Width) = Cropping.ParseSize(size, nameof(CenterCrop));

    public int Height { get; }
    public int Width { get; }

    public override object Apply(object input)
    {
        var image = ExpectImage(input);
        int top = (int)Math.Round((image.Height - Height) / 2.0, MidpointRounding.AwayFromZero);
        int left = (int)Math.Round((image.Width - Width) / 2.0, MidpointRounding.AwayFromZero);
        return Cropping.Crop(image, top, left, Height, Width);
    }

    public override string ToString() => $"CenterCrop(size=({Height}, {Width}))";
}

/// <summary>torchvision.transforms.RandomCrop: optional padding first, then a crop at a random position.</summary>
public sealed class RandomCrop : Transform
{
    public RandomCrop(int[] size, int[]? padding = null, bool padIfNeeded = false, byte fill = 0)
    {
        (Height, Width) = Cropping.ParseSize(size, nameof(RandomCrop));
        Padding = padding is null ? null : new Pad(padding, fill);
        PadIfNeeded = padIfNeeded;
        Fill = fill;
    }

    public RandomCrop(int size, int padding = 0) : this([size], padding > 0 ? [padding] : null) { }

    public int Height { get; }
    public int Width { get; }
    public Pad? Padding { get; }
    public bool PadIfNeeded { get; }
    public byte Fill { get; }

    public override object Apply(object input)
    {
        var image = ExpectImage(input);
        var padded = Padding is null ? image : (Image)Padding.Apply(image);
        if (PadIfNeeded && (padded.Width < Width || padded.Height < Height))
        {
            int padW = Math.Max(0, Width - padded.Width), padH = Math.Max(0, Height - padded.Height);
            var larger = (Image)new Pad([padW, padH], Fill).Apply(padded);
            if (!ReferenceEquals(padded, image)) padded.Dispose();
            padded = larger;
        }
        if (padded.Height < Height || padded.Width < Width)
            throw new ArgumentException($"Required crop size ({Height}, {Width}) is larger than input image size ({padded.Height}, {padded.Width})");
        int top = SampleRandom.Integer(0, padded.Height - Height + 1);
        int left = SampleRandom.Integer(0, padded.Width - Width + 1);
        var result = Cropping.Crop(padded, top, left, Height, Width);
        if (!ReferenceEquals(padded, image)) padded.Dispose();
        return result;
    }
}

/// <summary>
/// torchvision.transforms.RandomResizedCrop: a region of random area (fraction <c>scale</c> of the image) and aspect
/// ratio (log-uniform in <c>ratio</c>), resized to (height, width); after 10 failed draws, a central crop.
/// </summary>
public sealed class RandomResizedCrop : Transform
{
    public RandomResizedCrop(int[] size, double[]? scale = null, double[]? ratio = null)
    {
        (Height, Width) = Cropping.ParseSize(size, nameof(RandomResizedCrop));
        Scale = scale ?? [0.08, 1.0];
        Ratio = ratio ?? [3.0 / 4, 4.0 / 3];
        if (Scale.Length != 2 || Ratio.Length != 2) throw new ArgumentException("scale and ratio must be (min, max) pairs");
        if (Scale[0] > Scale[1] || Ratio[0] > Ratio[1]) throw new ArgumentException("Scale and ratio should be of kind (min, max)");
    }

    public RandomResizedCrop(int size) : this([size]) { }

    public int Height { get; }
    public int Width { get; }
    public double[] Scale { get; }
    public double[] Ratio { get; }

    /// <summary>The crop (top, left, height, width) for an image of the given size.</summary>
    public (int Top, int Left, int Height, int Width) DrawParameters(int height, int width)
    {
        double area = (double)height * width;
        double logLow = Math.Log(Ratio[0]), logHigh = Math.Log(Ratio[1]);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * SampleRandom.Uniform(Scale[0], Scale[1]);
            double aspect = Math.Exp(SampleRandom.Uniform(logLow, logHigh));
            int w = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            int h = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height)
                return (SampleRandom.Integer(0, height - h + 1), SampleRandom.Integer(0, width - w + 1), h, w);
        }
        double inRatio = (double)width / height;
        int cw = width, ch = height;
        if (inRatio < Ratio[0]) ch = (int)Math.Round(cw / Ratio[0]);
        else if (inRatio > Ratio[1]) cw = (int)Math.Round(ch * Ratio[1]);
        return ((height - ch) / 2, (width - cw) / 2, ch, cw);
    }

    public override object Apply(object input)
    {
        var image = ExpectImage(input);
        var (top, left, h, w) = DrawParameters(image.Height, image.Width);
        return image.ResizedCrop(left, top, w, h, Width, Height);
    }
}
