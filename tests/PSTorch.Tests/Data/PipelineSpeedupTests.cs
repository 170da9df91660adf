using PSTorch.Data;
using PSTorch.Vision;
using Xunit;

namespace PSTorch.Tests.Data;

/// <summary>
/// The shortcuts the image pipeline takes for speed give what the plain steps give: fused ToTensor + Normalize,
/// the separable resampler, JPEG decoding at a reduced scale, and one kernel thread per loader worker.
/// </summary>
// Reads the process-wide Torch.GetNumThreads before and after loading, so it runs apart from tests that change it.
[Collection("NumThreads")]
public sealed class PipelineSpeedupTests
{
    /// <summary>A width x height colour image with R = x-gradient, G = y-gradient, B = their mix (smooth, like a photo).</summary>
    static Image Smooth(int width, int height)
    {
        var values = new byte[3 * height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                values[i] = (byte)(255 * x / (width - 1));
                values[height * width + i] = (byte)(255 * y / (height - 1));
                values[2 * height * width + i] = (byte)((values[i] + values[height * width + i]) / 2);
            }
        return ToImage.Convert(Torch.FromArray(values, [3, height, width]));
    }

    static float[] Values(object tensor) => ((Tensor)tensor).Contiguous().ToArray<float>();

    static byte[] Bytes(Image image) => Values(new ToTensor().Apply(image)).Select(v => (byte)MathF.Round(v * 255)).ToArray();

    [Fact]
    public void ComposedToTensorAndNormalizeMatchTheTwoStepsExactly()
    {
        using var image = Smooth(13, 7);
        var normalize = new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
        var fused = new Compose(new ToTensor(), normalize).Apply(image);
        var separate = normalize.Apply(new ToTensor().Apply(image));
        Assert.Equal([3L, 7, 13], ((Tensor)fused).Shape);
        Assert.Equal(Values(separate), Values(fused));

        // One mean for a grayscale image is fused too; three means for it broadcast to 3 channels as Normalize does.
        using var gray = (Image)new Grayscale().Apply(image);
        var one = new Normalize([0.5], [0.25]);
        Assert.Equal(Values(one.Apply(new ToTensor().Apply(gray))), Values(new Compose(new ToTensor(), one).Apply(gray)));
        var broadcast = new Compose(new ToTensor(), normalize).Apply(gray);
        Assert.Equal([3L, 7, 13], ((Tensor)broadcast).Shape);
        Assert.Equal(Values(normalize.Apply(new ToTensor().Apply(gray))), Values(broadcast));
    }

    [Fact]
    public void ResizingToTheSameSizeKeepsEveryPixelAndShrinkingAverages()
    {
        using var image = Smooth(9, 6);
        using var same = (Image)new Resize(6, 9).Apply(image);
        Assert.Equal(Bytes(image), Bytes(same));

        // A 4x2 image with columns 0, 100, 200, 40 shrunk to 2x1: the triangle filter widened to 2 pixels and cut at
        // the borders weighs columns (0, 1, 2) by (0.75, 0.75, 0.25) and (1, 2, 3) by (0.25, 0.75, 0.75), as PIL does.
        var columns = new byte[3 * 2 * 4];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 2; y++)
                for (int x = 0; x < 4; x++) columns[c * 8 + y * 4 + x] = new byte[] { 0, 100, 200, 40 }[x];
        using var stripes = ToImage.Convert(Torch.FromArray(columns, [3, 2, 4]));
        using var shrunk = (Image)new Resize(1, 2).Apply(stripes);
        byte Expected(double a, double b, double c, double wa, double wb, double wc) => (byte)Math.Floor((a * wa + b * wb + c * wc) / (wa + wb + wc) + 0.5);
        Assert.Equal([Expected(0, 100, 200, 0.75, 0.75, 0.25), Expected(100, 200, 40, 0.25, 0.75, 0.75)], Bytes(shrunk).Take(2));
    }

    [Fact]
    public void LoadedJpegIsDecodedOnFirstUseAndAShrinkingCropFromAReducedDecodeMatchesTheFullOne()
    {
        var dir = Directory.CreateTempSubdirectory("pstorch-jpeg-");
        try
        {
            var path = Path.Combine(dir.FullName, "smooth.jpg");
            using (var original = Smooth(400, 300)) original.Save(path, quality: 95);
            using var lazy = Image.Load(path);
            Assert.Equal((400, 300, 3, "RGB"), (lazy.Width, lazy.Height, lazy.Channels, lazy.Mode));
            using var eager = Image.Decode(File.ReadAllBytes(path), path);

            // A crop of 360x280 to 64x64 can be decoded at 2/8 of the size: the result must agree with the crop of the full decode.
            var crop = new RandomResizedCrop([64], scale: [0.8, 0.9], ratio: [1.2, 1.35]);
            Image Draw(Image source)
            {
                using (SampleRandom.Use(new Generator(3))) return (Image)crop.Apply(source);
            }
            using var fromLazy = Draw(lazy);
            using var fromEager = Draw(eager);
            Assert.Equal((64, 64), (fromLazy.Width, fromLazy.Height));
            var difference = Bytes(fromLazy).Zip(Bytes(fromEager), (a, b) => Math.Abs(a - b)).ToArray();
            Assert.True(difference.Average() < 1.5 && difference.Max() <= 8, $"mean {difference.Average():F2}, max {difference.Max()}");

            // The lazily loaded image still decodes in full for anything else.
            Assert.Equal(Bytes(eager), Bytes(lazy));

            File.WriteAllText(Path.Combine(dir.FullName, "broken.jpg"), "not an image");
            Assert.StartsWith($"Cannot decode image file '{Path.Combine(dir.FullName, "broken.jpg")}'",
                Assert.Throws<InvalidDataException>(() => Image.Load(Path.Combine(dir.FullName, "broken.jpg"))).Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void IdxBatchesHoldWhatToTensorGivesForEachImage()
    {
        var test = FashionMnistSample.Load(train: false);
        var batch = (object[])test.GetBatch([7, 0, 999]);
        var inputs = (Tensor)batch[0];
        Assert.Equal([3L, 1, 28, 28], inputs.Shape);
        int[] picked = [7, 0, 999];
        for (int n = 0; n < picked.Length; n++)
        {
            using var image = ToImage.Convert(test.Data.Select(0, picked[n]));
            Assert.Equal(Values(new ToTensor().Apply(image)), Values(inputs.Select(0, n)));
        }
        Assert.Equal(picked.Select(i => test.Targets[i]).ToArray(), ((Tensor)batch[1]).ToArray<long>());
    }

    /// <summary>Hands out new tensors and keeps them, to see which ones the loader released.</summary>
    sealed class NewTensors(bool declared) : Dataset
    {
        public readonly System.Collections.Concurrent.ConcurrentBag<Tensor> Given = new();
        public override int Count => 6;
        internal override bool SamplesAreNew => declared;

        public override object GetItem(int index)
        {
            var t = Torch.FromArray(new float[] { index, -index });
            Given.Add(t);
            return new object[] { t, (long)index };
        }
    }

    [Fact]
    public void LoaderReleasesNewSampleTensorsOnceCollatedAndLeavesOthersAlone()
    {
        var fresh = new NewTensors(declared: true);
        var batches = new DataLoader(fresh, batchSize: 4, numWorkers: 1).Select(b => (Tensor)b.Inputs).ToList();
        Assert.Equal([4L, 2], batches[0].Shape);
        Assert.Equal([5f, -5f], batches[1].Select(0, 1).ToArray<float>());
        Assert.Equal(6, fresh.Given.Count);
        Assert.All(fresh.Given, t => Assert.True(t.IsDisposed));

        var kept = new NewTensors(declared: false);
        Assert.Equal(2, new DataLoader(kept, batchSize: 4).Count());
        Assert.All(kept.Given, t => Assert.False(t.IsDisposed));
        var own = new NewTensors(declared: true);
        Assert.Equal(2, new DataLoader(own, batchSize: 4, collate: samples => samples).Count());
        Assert.All(own.Given, t => Assert.False(t.IsDisposed));
    }

    [Fact]
    public void LoaderWorkersRunKernelsOnOneThreadAndTheConsumerKeepsItsSetting()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        var dataset = new DelegateDataset(8, i =>
        {
            seen.Add(Torch.GetNumThreads());
            return Torch.FromArray(new float[] { i });
        });
        int before = Torch.GetNumThreads();
        var loader = new DataLoader(dataset, batchSize: 2, numWorkers: 2);
        Assert.Equal(4, loader.Count());
        Assert.Equal(8, seen.Count);
        Assert.All(seen, threads => Assert.Equal(1, threads));
        Assert.Equal(before, Torch.GetNumThreads());
    }
}
