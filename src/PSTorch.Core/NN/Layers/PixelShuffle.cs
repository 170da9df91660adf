namespace PSTorch.NN;

/// <summary>torch.nn.PixelShuffle: [*, C * r * r, H, W] -> [*, C, H * r, W * r].</summary>
public class PixelShuffle(long upscaleFactor) : Module
{
    public long UpscaleFactor { get; } = upscaleFactor;
    public override Tensor Forward(Tensor input) => Functional.PixelShuffle(input, UpscaleFactor);
    public override string ExtraRepr() => $"upscale_factor={UpscaleFactor}";
}

/// <summary>torch.nn.PixelUnshuffle: [*, C, H * r, W * r] -> [*, C * r * r, H, W].</summary>
public class PixelUnshuffle(long downscaleFactor) : Module
{
    public long DownscaleFactor { get; } = downscaleFactor;
    public override Tensor Forward(Tensor input) => Functional.PixelUnshuffle(input, DownscaleFactor);
    public override string ExtraRepr() => $"downscale_factor={DownscaleFactor}";
}
