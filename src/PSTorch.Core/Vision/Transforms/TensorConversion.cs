namespace PSTorch.Vision;

/// <summary>
/// torchvision.transforms.ToTensor: an Image (or a uint8 H x W x C tensor) to a float32 C x H x W tensor in [0, 1].
/// </summary>
public sealed class ToTensor : Transform
{
    public override object Apply(object input) => input switch
    {
        Image image => Convert(image),
        Tensor { DType: DType.UInt8, NDim: 3 } hwc => hwc.Permute(2, 0, 1).To(DType.Float32).Div(255.0),
        Tensor { DType: DType.UInt8, NDim: 2 } hw => hw.Unsqueeze(0).To(DType.Float32).Div(255.0),
        _ => throw new ArgumentException($"ToTensor expects an Image or a uint8 HxWxC tensor, got {(input is Tensor t ? $"a {t.DType.Name()} tensor of shape {Shapes.Format(t.ShapeRef)}" : input?.GetType().Name ?? "null")}"),
    };

    /// <summary>The image's pixels as a float32 [channels, height, width] tensor scaled to [0, 1].</summary>
    public static Tensor Convert(Image image) => Convert(image, null, null);

    /// <summary>
    /// ToTensor then Normalize(mean, std) in one pass over the pixels (no intermediate tensor): each value is
    /// (pixel / 255 - mean[c]) / std[c] computed in float32 exactly as the two steps compute it.
    /// </summary>
    internal static unsafe Tensor Convert(Image image, float[]? mean, float[]? std)
    {
        int c = image.Channels, h = image.Height, w = image.Width, plane = h * w;
        var t = Tensor.Empty([c, h, w], DType.Float32, Device.Cpu);
        float* dst = (float*)t.DataPointer;
        fixed (byte* src = image.Pixels)
            for (int ch = 0; ch < c; ch++)
            {
                float* o = dst + (long)ch * plane;
                byte* p = src + ch;
                const float scale = 1f / 255;
                if (mean is null)
                    for (int i = 0; i < plane; i++) o[i] = p[4 * i] * scale;
                else
                {
                    float m = mean[ch], sd = std![ch];
                    for (int i = 0; i < plane; i++) o[i] = (p[4 * i] * scale - m) / sd;
                }
            }
        return t;
    }
}

/// <summary>torchvision.transforms.Normalize: (x - mean[c]) / std[c] per channel of a float [..., C, H, W] tensor.</summary>
public sealed class Normalize : Transform
{
    public Normalize(double[] mean, double[] std, bool inplace = false)
    {
        if (mean.Length != std.Length) throw new ArgumentException("mean and std must have the same number of channels");
        if (std.Any(s => s == 0)) throw new ArgumentException("std evaluated to zero after conversion to torch.float32, leading to division by zero.");
        Mean = mean;
        Std = std;
        Inplace = inplace;
        MeanSingle = Array.ConvertAll(mean, v => (float)v);
        StdSingle = Array.ConvertAll(std, v => (float)v);
    }

    public double[] Mean { get; }
    public double[] Std { get; }
    public bool Inplace { get; }

    /// <summary>Whether <see cref="ToTensor.Convert(Image, float[], float[])"/> can do ToTensor and this in one pass: one value per channel of the image.</summary>
    internal bool CanFuseWith(Image image) => Mean.Length == image.Channels;

    /// <summary>Mean and std as the float32 values a float32 tensor is normalized with.</summary>
    internal float[] MeanSingle { get; }
    internal float[] StdSingle { get; }

    public override object Apply(object input)
    {
        var x = ExpectTensor(input);
        if (!x.IsFloatingPoint()) throw new ArgumentException($"Input tensor should be a float tensor. Got {x.DType.TorchName()}.");
        if (x.NDim < 3) throw new ArgumentException($"Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = {Shapes.Format(x.ShapeRef)}");
        var mean = Torch.FromArray(Mean, [Mean.Length, 1, 1], x.DType);
        var std = Torch.FromArray(Std, [Std.Length, 1, 1], x.DType);
        return Inplace ? x.Sub_(mean).Div_(std) : x.Sub(mean).Div(std);
    }

    public override string ToString() => $"Normalize(mean=[{string.Join(", ", Mean)}], std=[{string.Join(", ", Std)}])";
}

/// <summary>torchvision.transforms.ToPILImage: a [C, H, W] (C = 1 or 3) or [H, W] tensor, float in [0, 1] or uint8, to an Image.</summary>
public sealed class ToImage : Transform
{
    public override object Apply(object input) => input is Image ? input : Convert(ExpectTensor(input));

    public static unsafe Image Convert(Tensor tensor)
    {
        var t = tensor.NDim == 2 ? tensor.Unsqueeze(0) : tensor;
        if (t.NDim != 3 || t.Size(0) is not (1 or 3))
            throw new ArgumentException($"ToImage expects a [C, H, W] tensor with 1 or 3 channels, got shape {Shapes.Format(tensor.ShapeRef)}");
        int c = (int)t.Size(0), h = (int)t.Size(1), w = (int)t.Size(2), plane = h * w;
        var values = t.DType == DType.UInt8 ? null : t.Cpu().To(DType.Float32).Contiguous().ToArray<float>();
        var bytes = t.DType == DType.UInt8 ? t.Cpu().Contiguous().ToArray<byte>() : null;
        var image = Image.Create(w, h, c);
        var px = image.Pixels;
        for (int i = 0; i < plane; i++)
            for (int ch = 0; ch < 3; ch++)
            {
                int src = (c == 1 ? 0 : ch) * plane + i;
                px[4 * i + ch] = bytes is not null ? bytes[src] : (byte)Math.Clamp((int)Math.Round(values![src] * 255f), 0, 255);
            }
        return image;
    }
}
