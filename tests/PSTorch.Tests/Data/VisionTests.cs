using PSTorch.Data;
using PSTorch.Vision;
using Xunit;

namespace PSTorch.Tests.Data;

public sealed class VisionTests
{
    /// <summary>A 4x3 RGB image whose pixel (x, y) has R = 10x + y, G = 100, B = 200.</summary>
    static Image Gradient()
    {
        var values = new byte[3 * 3 * 4];
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 4; x++)
            {
                values[y * 4 + x] = (byte)(10 * x + y);
                values[12 + y * 4 + x] = 100;
                values[24 + y * 4 + x] = 200;
            }
        return ToImage.Convert(Torch.FromArray(values, [3, 3, 4]));
    }

    static float[] Red(object image) => ((Tensor)new ToTensor().Apply(image)).Select(0, 0).Mul(255.0).ToArray<float>().Select(v => MathF.Round(v)).ToArray();

    [Fact]
    public void ToTensorAndBackPreservePixels()
    {
        using var image = Gradient();
        var t = (Tensor)new ToTensor().Apply(image);
        Assert.Equal([3L, 3, 4], t.Shape);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(21 / 255f, At(t, 0, 1, 2), 6);
        Assert.Equal(200 / 255f, At(t, 2, 2, 3), 6);
        Assert.Equal(Red(image), Red(ToImage.Convert(t)));
    }

    [Fact]
    public void GeometricTransformsMovePixels()
    {
        using var image = Gradient();
        Assert.Equal([30f, 20, 10, 0, 31, 21, 11, 1, 32, 22, 12, 2], Red(Flip(new RandomHorizontalFlip(1.0), image)));
        Assert.Equal([2f, 12, 22, 32, 1, 11, 21, 31, 0, 10, 20, 30], Red(Flip(new RandomVerticalFlip(1.0), image)));
        Assert.Equal(Red(image), Red(Flip(new RandomHorizontalFlip(0.0), image)));
        Assert.Equal([11f, 21], Red(new CenterCrop(1, 2).Apply(image)));
        var padded = (Image)new Pad([1, 0]).Apply(image);
        Assert.Equal((6, 3), (padded.Width, padded.Height));
        Assert.Equal([0f, 0, 10, 20, 30, 0], Red(padded).Take(6));
        var resized = (Image)new Resize(6).Apply(image);
        Assert.Equal((8, 6), (resized.Width, resized.Height));
        var both = (Image)new Resize(5, 7).Apply(image);
        Assert.Equal((7, 5), (both.Width, both.Height));
    }

    static object Flip(Transform t, Image image) => t.Apply(image);

    [Fact]
    public void RandomCropsStayInsideAndFollowTheSampleGenerator()
    {
        using var image = Gradient();
        using (SampleRandom.Use(new Generator(1)))
        {
            var crop = (Image)new RandomCrop([2]).Apply(image);
            Assert.Equal((2, 2), (crop.Width, crop.Height));
            var r = Red(crop);
            Assert.Equal(r[0] + 10, r[1]);
            Assert.Equal(r[0] + 1, r[2]);
        }
        float[] Draw(long seed)
        {
            using (SampleRandom.Use(new Generator(seed))) return Red(new RandomResizedCrop([2, 3]).Apply(image));
        }
        Assert.Equal(Draw(5), Draw(5));
        using (SampleRandom.Use(new Generator(2)))
            for (int i = 0; i < 50; i++)
            {
                var (top, left, h, w) = new RandomResizedCrop([8], scale: [0.5, 1.0]).DrawParameters(300, 400);
                Assert.InRange(top, 0, 300 - h);
                Assert.InRange(left, 0, 400 - w);
                Assert.InRange(h * (double)w / (300 * 400), 0.49, 1.0);
                Assert.InRange(w / (double)h, 0.74, 1.34);
            }
        Assert.Equal("Required crop size (5, 5) is larger than input image size (3, 4)", Assert.Throws<ArgumentException>(() => new RandomCrop([5]).Apply(image)).Message);
        var paddedCrop = (Image)new RandomCrop([5], padding: [1]).Apply(image);
        Assert.Equal((5, 5), (paddedCrop.Width, paddedCrop.Height));
    }

    [Fact]
    public void ColorTransformsAndNormalize()
    {
        using var image = Gradient();
        var gray = (Image)new Grayscale().Apply(image);
        Assert.Equal(1, gray.Channels);
        var g = (Tensor)new ToTensor().Apply(gray);
        Assert.Equal([1L, 3, 4], g.Shape);
        Assert.Equal((int)((0 * 299 + 100 * 587 + 200 * 114) / 1000) / 255f, At(g, 0, 0, 0), 6);
        Assert.Equal(3, ((Image)new Grayscale(3).Apply(image)).Channels);
        var unchanged = (Image)new ColorJitter().Apply(image);
        Assert.Equal(Red(image), Red(unchanged));
        using (SampleRandom.Use(new Generator(3)))
        {
            var jittered = (Image)new ColorJitter(brightness: 0.5, contrast: 0.5, saturation: 0.5, hue: 0.1).Apply(image);
            Assert.Equal((4, 3), (jittered.Width, jittered.Height));
        }
        var rotated = (Image)new RandomRotation(0).Apply(image);
        Assert.Equal(Red(image), Red(rotated));

        var x = Torch.FromArray(new float[] { 0.5f, 1f, 0f, 0.25f }, [2, 1, 2]);
        var n = (Tensor)new Normalize([0.5, 0.25], [0.5, 0.25]).Apply(x);
        Assert.Equal([0f, 1, -1, 0], n.ToArray<float>());
        Assert.Equal("Input tensor should be a float tensor. Got torch.uint8.",
            Assert.Throws<ArgumentException>(() => new Normalize([0.5], [0.5]).Apply(Torch.Zeros([1, 2, 2], DType.UInt8))).Message);
        Assert.Contains("put it before ToTensor", Assert.Throws<ArgumentException>(() => new Resize(2).Apply(x)).Message);
    }

    [Fact]
    public void ComposeAndLambdaChain()
    {
        using var image = Gradient();
        var t = new Compose(new CenterCrop(2), new ToTensor(), new Lambda(o => ((Tensor)o).Mul(2.0)));
        var y = (Tensor)t.Apply(image);
        Assert.Equal([3L, 2, 2], y.Shape);
        Assert.Equal(2 * 11 / 255f, At(y, 0, 0, 0), 6);
    }

    [Fact]
    public void MakeGridTilesAndSaveImageWritesPngAndJpeg()
    {
        var batch = Torch.Ones([5, 1, 2, 2]);
        var grid = ImageGrid.MakeGrid(batch, nrow: 3, padding: 1);
        Assert.Equal([3L, 2 * 3 + 1, 3 * 3 + 1], grid.Shape);
        Assert.Equal(0f, At(grid, 0, 0, 0));
        Assert.Equal(1f, At(grid, 1, 1, 1));
        Assert.Equal(0f, At(grid, 0, 4, 7));
        var ramp = Torch.FromArray(new float[] { -2, 0, 2, 4 }, [1, 1, 2, 2]);
        var normalized = ImageGrid.MakeGrid(ramp, padding: 0, normalize: true);
        Assert.Equal([0f, 1 / 3f, 2 / 3f, 1f], normalized.Select(0, 0).ToArray<float>());
        Assert.Equal(normalized.Select(0, 0).ToArray<float>(), normalized.Select(0, 2).ToArray<float>());

        var dir = Directory.CreateTempSubdirectory("pstorch-grid-").FullName;
        try
        {
            var png = Path.Combine(dir, "grid.png");
            ImageGrid.SaveImage(Torch.Rand([4, 3, 8, 8]), png, nrow: 2);
            using var back = Image.Load(png);
            Assert.Equal((2 * 10 + 2, 2 * 10 + 2), (back.Width, back.Height));
            var jpg = Path.Combine(dir, "grid.jpg");
            ImageGrid.SaveImage(batch, jpg);
            Assert.Equal([0xFF, 0xD8], File.ReadAllBytes(jpg).Take(2));
            Assert.Equal("Cannot save images as 'bmp': use .png, .jpg or .jpeg", Assert.Throws<ArgumentException>(() => ImageGrid.SaveImage(batch, Path.Combine(dir, "grid.bmp"))).Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void IdxAndCsvDatasets()
    {
        var train = FashionMnistSample.Load();
        Assert.Equal(6000, train.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(600, train.Targets.Count(t => t == c)));
        Assert.Equal(1000, FashionMnistSample.Load(train: false).Count);
        var sample = (object[])train[0];
        Assert.Equal([1L, 28, 28], ((Tensor)sample[0]).Shape);
        var loader = new DataLoader(train, batchSize: 64, shuffle: true, seed: 1);
        Assert.Equal(94, loader.Count);
        var first = loader.First();
        Assert.Equal([64L, 1, 28, 28], ((Tensor)first.Inputs).Shape);
        Assert.Equal(((Tensor)((object[])train[first.Indices[5]])[0]).ToArray<float>(), ((Tensor)first.Inputs).Select(0, 5).ToArray<float>());

        var dir = Directory.CreateTempSubdirectory("pstorch-csv-").FullName;
        try
        {
            var csv = Path.Combine(dir, "iris.csv");
            File.WriteAllLines(csv, ["a,b,species", "1.5,2,setosa", "3,4.25,virginica", "5,6,setosa"]);
            var ds = new CsvDataset(csv);
            Assert.Equal(3, ds.Count);
            Assert.Equal(["setosa", "virginica"], ds.Classes!);
            Assert.Equal([3f, 4.25f], ((Tensor)((object[])ds[1])[0]).ToArray<float>());
            Assert.Equal(1L, ((Tensor)((object[])ds[1])[1]).Item());
            File.WriteAllLines(csv, ["0,1.5,2", "1,3,4"]);
            var numeric = new CsvDataset(csv, labelColumn: "0");
            Assert.Equal([0L, 1], numeric.Targets.ToArray<long>());
            Assert.Equal([1.5f, 2f], numeric.Features.Select(0, 0).ToArray<float>());
            File.WriteAllLines(csv, ["a,b", "1,x"]);
            Assert.EndsWith("line 2: column 'b' value 'x' is not a number", Assert.Throws<InvalidDataException>(() => new CsvDataset(csv, labelColumn: "a", hasHeader: true)).Message);
            var bad = Path.Combine(dir, "bad.gz");
            File.WriteAllBytes(bad, [1, 2, 3]);
            Assert.Throws<InvalidDataException>(() => IdxFile.Read(bad));
        }
        finally { Directory.Delete(dir, true); }
    }

    static float At(Tensor t, params long[] index)
    {
        foreach (var i in index) t = t.Select(0, i);
        return t.Item<float>();
    }
}
