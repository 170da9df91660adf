namespace PSTorch.Vision;

/// <summary>torchvision.transforms.Resize: one size scales the shorter side to it (aspect kept); two sizes are (height, width).</summary>
public sealed class Resize : Transform
{
    public Resize(int size) => Size = [CheckPositive(size)];
    public Resize(int height, int width) => Size = [CheckPositive(height), CheckPositive(width)];

    public IReadOnlyList<int> Size { get; }

    static int CheckPositive(int size) => size > 0 ? size : throw new ArgumentException($"Resize size must be positive, got {size}");

    /// <summary>The output (height, width) for an input of the given size.</summary>
    public (int Height, int Width) OutputSize(int height, int width)
    {
        if (Size.Count == 2) return (Size[0], Size[1]);
        int s = Size[0];
        return width <= height ? ((int)((long)s * height / width), s) : (s, (int)((long)s * width / height));
    }

    public override object Apply(object input)
    {
        var image = ExpectImage(input);
        var (h, w) = OutputSize(image.Height, image.Width);
        return image.ResizedCrop(0, 0, image.Width, image.Height, w, h);
    }

    public override string ToString() => $"Resize(size={string.Join("x", Size)})";
}
