namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>[*, C * r * r, H, W] -> [*, C, H * r, W * r]: each channel block of r * r becomes an r x r tile.</summary>
    public static Tensor PixelShuffle(Tensor input, long upscaleFactor)
    {
        if (input.NDim < 3) throw new ArgumentException($"pixel_shuffle expects input to have at least 3 dimensions, but got input with {input.NDim} dimension(s)");
        if (upscaleFactor <= 0) throw new ArgumentException($"pixel_shuffle expects a positive upscale_factor, but got {upscaleFactor}");
        long r = upscaleFactor, channels = input.Size(-3), h = input.Size(-2), w = input.Size(-1);
        if (channels % (r * r) != 0)
            throw new ArgumentException($"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)={channels} is not divisible by {r * r}");
        var batch = input.Shape[..^3];
        int b = batch.Length;
        // [*, C, r, r, H, W] -> [*, C, H, r, W, r]
        var tiles = input.Reshape([.. batch, channels / (r * r), r, r, h, w])
            .Permute([.. Enumerable.Range(0, b), b, b + 3, b + 1, b + 4, b + 2]);
        return tiles.Reshape([.. batch, channels / (r * r), h * r, w * r]);
    }

    /// <summary>The inverse of PixelShuffle: [*, C, H * r, W * r] -> [*, C * r * r, H, W].</summary>
    public static Tensor PixelUnshuffle(Tensor input, long downscaleFactor)
    {
        if (input.NDim < 3) throw new ArgumentException($"pixel_unshuffle expects input to have at least 3 dimensions, but got input with {input.NDim} dimension(s)");
        if (downscaleFactor <= 0) throw new ArgumentException($"pixel_unshuffle expects a positive downscale_factor, but got {downscaleFactor}");
        long r = downscaleFactor, channels = input.Size(-3), h = input.Size(-2), w = input.Size(-1);
        if (h % r != 0) throw new ArgumentException($"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)={h} is not divisible by {r}");
        if (w % r != 0) throw new ArgumentException($"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)={w} is not divisible by {r}");
        var batch = input.Shape[..^3];
        int b = batch.Length;
        // [*, C, H, r, W, r] -> [*, C, r, r, H, W]
        var tiles = input.Reshape([.. batch, channels, h / r, r, w / r, r])
            .Permute([.. Enumerable.Range(0, b), b, b + 2, b + 4, b + 1, b + 3]);
        return tiles.Reshape([.. batch, channels * r * r, h / r, w / r]);
    }
}
