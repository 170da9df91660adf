using System.Diagnostics;
using PSTorch.Data;
using PSTorch.Vision;
using SkiaSharp;

namespace PSTorch.Bench;

/// <summary>
/// The data issue's speed cases (no libtorch peer): an ImageFolder of 500x375 JPEGs through RandomResizedCrop(224),
/// flip, ToTensor and Normalize in batches of 64 with 0, 1 and 2 workers, and a shuffled epoch over Fashion-MNIST IDX.
/// </summary>
public static class DataCases
{
    public const int JpegCount = 256, JpegWidth = 500, JpegHeight = 375, JpegQuality = 90, BatchSize = 64;

    static Dictionary<string, object> P(params (string Key, object Value)[] items) => items.ToDictionary(x => x.Key, x => x.Value);

    public static IEnumerable<Case> All()
    {
        foreach (var workers in new[] { 0, 1, 2 })
            yield return new($"data_jpeg_w{workers}", "data",
                $"ImageFolder of {JpegCount} {JpegWidth}x{JpegHeight} JPEGs: RandomResizedCrop(224), flip, ToTensor, Normalize, batch {BatchSize}, {workers} worker(s)",
                () => Jpeg(workers), HasPeer: false);
        yield return DataStages.Case();
        yield return new("data_idx_epoch", "data", "Fashion-MNIST IDX in memory: one shuffled, collated epoch of batches of 64", IdxEpoch, HasPeer: false);
    }

    /// <summary>
    /// Images/s over whole epochs (the loader's workers start and stop with each epoch, as in training). Also
    /// reports images per CPU-second of this process, which a loaded machine distorts less than wall time, and the
    /// cores' worth of CPU the process got (CPU time / wall time): on a loaded machine w2 cannot beat w1 by more than that.
    /// </summary>
    static Result Jpeg(int workers)
    {
        var folder = JpegFolder();
        var transform = new Compose(new RandomResizedCrop(224), new RandomHorizontalFlip(), new ToTensor(),
            new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]));
        var dataset = new ImageFolder(folder, transform);
        var loader = new DataLoader(dataset, batchSize: BatchSize, shuffle: true, numWorkers: workers, seed: 0);
        int peak = 0;
        var calls = new List<(double CpuSeconds, double WallSeconds, int FullCollections)>();
        var process = Process.GetCurrentProcess();
        var result = Measure.Op($"data_jpeg_w{workers}", "data",
            P(("images", JpegCount), ("size", $"{JpegWidth}x{JpegHeight}"), ("jpeg_quality", JpegQuality), ("batch", BatchSize), ("workers", workers),
              ("pipeline", "RandomResizedCrop(224), RandomHorizontalFlip, ToTensor, Normalize")),
            Cases.Threads, () =>
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                int collections = GC.CollectionCount(2);
                foreach (var batch in loader) DisposeData(batch.Data);
                process.Refresh();
                calls.Add(((process.TotalProcessorTime - cpu).TotalSeconds, Stopwatch.GetElapsedTime(start).TotalSeconds, GC.CollectionCount(2) - collections));
                peak = Math.Max(peak, loader.PeakBatchesHeld);
            }, JpegCount, "images/s", $"one call = one epoch of {JpegCount} images; synthetic JPEGs in {folder}");
        // CPU use over the timed calls only (warm-up includes JIT compilation on background threads).
        var timed = calls.TakeLast(result.Repeats * result.InnerIters).ToList();
        double cpuSeconds = timed.Sum(c => c.CpuSeconds), wallSeconds = timed.Sum(c => c.WallSeconds);
        result.Extra = new()
        {
            ["peak_batches_held"] = peak,
            ["prefetch_bound"] = workers == 0 ? 1 : loader.PrefetchFactor * workers,
            ["images_per_cpu_second"] = Math.Round(timed.Count * JpegCount / cpuSeconds, 1),
            ["cores_used"] = Math.Round(cpuSeconds / wallSeconds, 2),
            ["full_gcs_per_epoch"] = Math.Round(timed.Average(c => c.FullCollections), 2),
        };
        return result;
    }

    static Result IdxEpoch()
    {
        const string installed = "/usr/share/datasets/fashion-mnist";
        Dataset dataset;
        string source;
        if (File.Exists(Path.Combine(installed, "train-images-idx3-ubyte.gz")))
        {
            dataset = new IdxDataset(Path.Combine(installed, "train-images-idx3-ubyte.gz"), Path.Combine(installed, "train-labels-idx1-ubyte.gz"));
            source = $"full Fashion-MNIST training set from {installed} (apt package dataset-fashion-mnist)";
        }
        else
        {
            var sample = FashionMnistSample.Load();
            dataset = new ConcatDataset(Enumerable.Repeat<Dataset>(sample, 60_000 / sample.Count));
            source = $"embedded data/ sample ({sample.Count} images) repeated by ConcatDataset to {dataset.Count}; /usr/share/datasets/fashion-mnist is missing";
        }
        var loader = new DataLoader(dataset, batchSize: BatchSize, shuffle: true, seed: 0);
        int peak = 0;
        var result = Measure.Op("data_idx_epoch", "data", P(("samples", dataset.Count), ("batch", BatchSize), ("workers", 0), ("shuffle", true)),
            Cases.Threads, () =>
            {
                foreach (var batch in loader) DisposeData(batch.Data);
                peak = Math.Max(peak, loader.PeakBatchesHeld);
            }, 1.0, "epochs/s", $"one call = one epoch; {source}");
        result.Extra = new() { ["peak_batches_held"] = peak, ["batches_per_epoch"] = loader.Count };
        return result;
    }

    static void DisposeData(object data)
    {
        if (data is Tensor t) t.Dispose();
        else if (data is object[] parts) foreach (var p in parts) DisposeData(p);
    }

    /// <summary>The synthetic JPEGs, written once to a cache folder (two classes): smooth random gradients plus noise, so decoding costs what a photo's would.</summary>
    public static string JpegFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), $"pstorch-bench-jpeg-{JpegCount}-{JpegWidth}x{JpegHeight}-q{JpegQuality}");
        var done = Path.Combine(root, ".complete");
        if (File.Exists(done)) return root;
        var random = new Random(0);
        var pixels = new byte[JpegWidth * JpegHeight * 4];
        for (int i = 0; i < JpegCount; i++)
        {
            var dir = Path.Combine(root, $"class{i % 2}");
            Directory.CreateDirectory(dir);
            // Per channel: a linear ramp in a random direction plus a low-frequency wave, then +-12 of noise.
            var (ax, ay, wave, phase) = (new double[3], new double[3], new double[3], new double[3]);
            for (int c = 0; c < 3; c++) (ax[c], ay[c], wave[c], phase[c]) = (random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, 0.01 + 0.04 * random.NextDouble(), 6.3 * random.NextDouble());
            for (int y = 0; y < JpegHeight; y++)
                for (int x = 0; x < JpegWidth; x++)
                {
                    int o = 4 * (y * JpegWidth + x);
                    for (int c = 0; c < 3; c++)
                    {
                        double v = 128 + 60 * (ax[c] * x / JpegWidth + ay[c] * y / JpegHeight) + 50 * Math.Sin(wave[c] * (x + 0.7 * y) + phase[c]) + random.Next(-12, 13);
                        pixels[o + c] = (byte)Math.Clamp((int)v, 0, 255);
                    }
                    pixels[o + 3] = 255;
                }
            using var bitmap = new SKBitmap(new SKImageInfo(JpegWidth, JpegHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
            System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
            using var image = SKImage.FromBitmap(bitmap);
            using var data = image.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
            using var file = File.Create(Path.Combine(dir, $"img{i:D4}.jpg"));
            data.SaveTo(file);
        }
        File.WriteAllText(done, "");
        return root;
    }
}
