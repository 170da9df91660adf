using SkiaSharp;

namespace PSTorch.Vision;

/// <summary>torchvision.transforms.Pad: one value pads all sides, two pad (left/right, top/bottom), four (left, top, right, bottom).</summary>
public sealed class Pad : Transform
{
    public Pad(int[] padding, byte fill = 0)
    {
        if (padding.Any(p => p < 0)) throw new ArgumentException("Pad does not accept negative padding");
        (Left, Top, Right, Bottom) = padding.Length switch
        {
            1 => (padding[0], padding[0], padding[0], padding[0]),
            2 => (padding[0], padding[1], padding[0], padding[1]),
            4 => (padding[0], padding[1], padding[2], padding[3]),
            _ => throw new ArgumentException($"Padding must be an int or a 1, 2, or 4 element tuple, not a {padding.Length} element tuple"),
        };
        Fill = fill;
    }

    public Pad(int padding) : this([padding]) { }

    public int Left { get; }
    public int Top { get; }
    public int Right { get; }
    public int Bottom { get; }
    public byte Fill { get; }

    public override object Apply(object input)
    {
        var image = ExpectImage(input);
        return image.Warp(image.Width + Left + Right, image.Height + Top + Bottom, SKMatrix.CreateTranslation(Left, Top), Fill, smooth: false);
    }
}
