namespace PSTorch.Vision;

/// <summary>torchvision.utils.make_grid and save_image.</summary>
public static class ImageGrid
{
    /// <summary>
    /// Tiles a [B, C, H, W] batch (or one [C, H, W] image) into a [3, rows*(H+padding)+padding, nrow*(W+padding)+padding]
    /// grid with <paramref name="nrow"/> images per row; 1-channel images are repeated to 3 channels. With
    /// <paramref name="normalize"/>, values are shifted and scaled by the batch's min and max (or <paramref name="valueRange"/>) into [0, 1].
    /// </summary>
    public static Tensor MakeGrid(Tensor batch, int nrow = 8, int padding = 2, bool normalize = false, double[]? valueRange = null, double padValue = 0)
    {
        if (nrow <= 0) throw new ArgumentException($"nrow must be positive, got {nrow}");
        if (padding < 0) throw new ArgumentException($"padding must be non-negative, got {padding}");
        var x = batch.NDim switch
        {
            2 => batch.Unsqueeze(0).Unsqueeze(0),
            3 => batch.Unsqueeze(0),
            4 => batch,
            _ => throw new ArgumentException($"MakeGrid expects a [B, C, H, W] batch or a [C, H, W] image, got shape {Shapes.Format(batch.ShapeRef)}"),
        };
        long n = x.Size(0), c = x.Size(1), h = x.Size(2), w = x.Size(3);
        if (c is not (1 or 3)) throw new ArgumentException($"MakeGrid needs 1 or 3 channels, got {c}");
        var values = x.Cpu().To(DType.Float32).Contiguous().ToArray<float>();
        if (normalize)
        {
            float low = valueRange is { Length: 2 } ? (float)valueRange[0] : values.Length == 0 ? 0 : values.Min();
            float high = valueRange is { Length: 2 } ? (float)valueRange[1] : values.Length == 0 ? 1 : values.Max();
            float scale = 1f / Math.Max(high - low, 1e-5f);
            for (int i = 0; i < values.Length; i++) values[i] = (Math.Clamp(values[i], low, high) - low) * scale;
        }
        long columns = Math.Min(nrow, n), rows = (n + columns - 1) / columns;
        long gridH = rows * (h + padding) + padding, gridW = columns * (w + padding) + padding;
        var grid = new float[3 * gridH * gridW];
        Array.Fill(grid, (float)padValue);
        for (long k = 0; k < n; k++)
        {
            long top = k / columns * (h + padding) + padding, left = k % columns * (w + padding) + padding;
            for (int ch = 0; ch < 3; ch++)
            {
                long srcPlane = (k * c + (c == 1 ? 0 : ch)) * h * w;
                for (long y = 0; y < h; y++)
                    Array.Copy(values, srcPlane + y * w, grid, (ch * gridH + top + y) * gridW + left, w);
            }
        }
        return Torch.FromArray(grid, [3, gridH, gridW]);
    }

    /// <summary>Writes a batch as one grid image (PNG or JPEG by the file's extension, or <paramref name="format"/>).</summary>
    public static void SaveImage(Tensor batch, string path, int nrow = 8, int padding = 2, bool normalize = false, double[]? valueRange = null, string? format = null)
    {
        var grid = MakeGrid(batch, nrow, padding, normalize, valueRange);
        using var image = ToImage.Convert(grid);
        image.Save(path, format);
    }
}
