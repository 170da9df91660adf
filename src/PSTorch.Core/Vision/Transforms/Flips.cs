using PSTorch.Data;
using SkiaSharp;

namespace PSTorch.Vision;

/// <summary>torchvision.transforms.RandomHorizontalFlip: mirrors left-right with probability p.</summary>
public sealed class RandomHorizontalFlip : Transform
{
    public RandomHorizontalFlip(double p = 0.5) => P = p;
    public double P { get; }

    public override object Apply(object input)
    {
        var image = ExpectImage(input);
        if (SampleRandom.Uniform() >= P) return image;
        return image.MirroredLeftRight();
    }

    public override string ToString() => $"RandomHorizontalFlip(p={P})";
}

/// <summary>torchvision.transforms.RandomVerticalFlip: mirrors top-bottom with probability p.</summary>
public sealed class RandomVerticalFlip : Transform
{
    public RandomVerticalFlip(double p = 0.5) => P = p;
    public double P { get; }

    public override object Apply(object input)
    {
        var image = ExpectImage(input);
        if (SampleRandom.Uniform() >= P) return image;
        return image.Warp(image.Width, image.Height, new SKMatrix(1, 0, 0, 0, -1, image.Height, 0, 0, 1), 0, smooth: false);
    }

    public override string ToString() => $"RandomVerticalFlip(p={P})";
}

/// <summary>torchvision.transforms.RandomRotation: rotates by an angle uniform in [-degrees, degrees] (counter-clockwise positive) about the centre.</summary>
public sealed class RandomRotation : Transform
{
    public RandomRotation(double degrees, byte fill = 0) : this([-degrees, degrees], fill)
    {
        if (degrees < 0) throw new ArgumentException("If degrees is a single number, it must be positive.");
    }

    public RandomRotation(double[] degrees, byte fill = 0)
    {
        if (degrees.Length != 2) throw new ArgumentException("If degrees is a sequence, it must be of len 2.");
        Degrees = degrees;
        Fill = fill;
    }

    public double[] Degrees { get; }
    public byte Fill { get; }

    public override object Apply(object input)
    {
        var image = ExpectImage(input);
        double angle = SampleRandom.Uniform(Degrees[0], Degrees[1]);
        // Image y points down, so a counter-clockwise turn on screen is a negative Skia rotation.
        var matrix = SKMatrix.CreateRotationDegrees((float)-angle, image.Width / 2f, image.Height / 2f);
        return image.Warp(image.Width, image.Height, matrix, Fill, smooth: false);
    }
}
