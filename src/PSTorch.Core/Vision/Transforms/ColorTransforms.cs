using PSTorch.Data;

namespace PSTorch.Vision;

/// <summary>torchvision.transforms.Grayscale: luma L = (299 R + 587 G + 114 B) / 1000 (PIL's), as 1 or 3 channels.</summary>
public sealed class Grayscale : Transform
{
    public Grayscale(int numOutputChannels = 1)
    {
        if (numOutputChannels is not (1 or 3)) throw new ArgumentException("num_output_channels should be either 1 or 3");
        NumOutputChannels = numOutputChannels;
    }

    public int NumOutputChannels { get; }

    public override object Apply(object input)
    {
        var image = ExpectImage(input);
        var result = image.WithChannels(NumOutputChannels);
        if (image.Channels != 1) PixelOps.ToGray(result.Pixels);
        return result;
    }
}

/// <summary>
/// torchvision.transforms.ColorJitter: brightness, contrast and saturation factors uniform in [max(0, 1 - x), 1 + x],
/// hue shift uniform in [-hue, hue] (hue at most 0.5), applied in a random order.
/// </summary>
public sealed class ColorJitter : Transform
{
    public ColorJitter(double brightness = 0, double contrast = 0, double saturation = 0, double hue = 0)
    {
        if (brightness < 0 || contrast < 0 || saturation < 0) throw new ArgumentException("If brightness/contrast/saturation is a single number, it must be non negative.");
        if (hue < 0 || hue > 0.5) throw new ArgumentException("hue values should be between (-0.5, 0.5)");
        Brightness = brightness;
        Contrast = contrast;
        Saturation = saturation;
        Hue = hue;
    }

    public double Brightness { get; }
    public double Contrast { get; }
    public double Saturation { get; }
    public double Hue { get; }

    public override object Apply(object input)
    {
        var image = ExpectImage(input);
        var order = Torch.Randperm(4, generator: SampleRandom.Current).ToArray<long>();
        double b = Factor(Brightness), c = Factor(Contrast), s = Factor(Saturation);
        double h = Hue > 0 ? SampleRandom.Uniform(-Hue, Hue) : 0;
        var result = image.WithChannels(image.Channels);
        var pixels = result.Pixels;
        foreach (var step in order)
        {
            switch (step)
            {
                case 0 when Brightness > 0: PixelOps.Blend(pixels, b, 0); break;
                case 1 when Contrast > 0: PixelOps.Blend(pixels, c, PixelOps.MeanGray(pixels)); break;
                case 2 when Saturation > 0 && image.Channels == 3: PixelOps.Saturate(pixels, s); break;
                case 3 when Hue > 0 && image.Channels == 3: PixelOps.ShiftHue(pixels, h); break;
            }
        }
        return result;
    }

    static double Factor(double amount) => amount > 0 ? SampleRandom.Uniform(Math.Max(0, 1 - amount), 1 + amount) : 1;
}

/// <summary>Per-pixel colour arithmetic on RGBA bytes (alpha untouched).</summary>
internal static class PixelOps
{
    static byte Clamp(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);

    static double Luma(Span<byte> p, int i) => (p[i] * 299 + p[i + 1] * 587 + p[i + 2] * 114) / 1000.0;

    public static void ToGray(Span<byte> p)
    {
        for (int i = 0; i < p.Length; i += 4)
        {
            byte l = (byte)((p[i] * 299 + p[i + 1] * 587 + p[i + 2] * 114) / 1000);
            p[i] = p[i + 1] = p[i + 2] = l;
        }
    }

    public static double MeanGray(Span<byte> p)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i += 4) sum += Math.Floor(Luma(p, i));
        return sum / (p.Length / 4);
    }

    /// <summary>factor * pixel + (1 - factor) * other (PIL's ImageEnhance blend).</summary>
    public static void Blend(Span<byte> p, double factor, double other)
    {
        for (int i = 0; i < p.Length; i += 4)
            for (int c = 0; c < 3; c++) p[i + c] = Clamp(factor * p[i + c] + (1 - factor) * other);
    }

    public static void Saturate(Span<byte> p, double factor)
    {
        for (int i = 0; i < p.Length; i += 4)
        {
            double l = Math.Floor(Luma(p, i));
            for (int c = 0; c < 3; c++) p[i + c] = Clamp(factor * p[i + c] + (1 - factor) * l);
        }
    }

    /// <summary>Rotates the hue by <paramref name="shift"/> turns in HSV space.</summary>
    public static void ShiftHue(Span<byte> p, double shift)
    {
        for (int i = 0; i < p.Length; i += 4)
        {
            double r = p[i] / 255.0, g = p[i + 1] / 255.0, b = p[i + 2] / 255.0;
            double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), delta = max - min;
            if (delta == 0) continue;
            double h = max == r ? (g - b) / delta : max == g ? 2 + (b - r) / delta : 4 + (r - g) / delta;
            h = (h / 6 + shift) % 1;
            if (h < 0) h += 1;
            double s = delta / max, v = max;
            double hh = h * 6;
            int sector = (int)hh % 6;
            double f = hh - Math.Floor(hh);
            double pv = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
            (r, g, b) = sector switch { 0 => (v, t, pv), 1 => (q, v, pv), 2 => (pv, v, t), 3 => (pv, q, v), 4 => (t, pv, v), _ => (v, pv, q) };
            p[i] = Clamp(r * 255); p[i + 1] = Clamp(g * 255); p[i + 2] = Clamp(b * 255);
        }
    }
}
