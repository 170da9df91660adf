using System.Diagnostics;
using System.Runtime.InteropServices;
using PSTorch.Data;
using PSTorch.Vision;

namespace PSTorch.Bench;

/// <summary>
/// Where the JPEG pipeline's time goes: each stage of data_jpeg_w0's work run by hand on one thread, timed by this
/// thread's CPU clock (CLOCK_THREAD_CPUTIME_ID), which other processes on a loaded machine do not inflate as they do wall time.
/// </summary>
public static class DataStages
{
    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec { public long Seconds, Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out TimeSpec time);

    const int ThreadCpuClock = 3;

    static double ThreadCpuMs()
    {
        ClockGetTime(ThreadCpuClock, out var t);
        return t.Seconds * 1e3 + t.Nanoseconds / 1e6;
    }

    public static Case Case() => new("data_jpeg_stages", "data",
        "data_jpeg_w0's stages one by one on one thread (kernels on 1 thread): thread CPU ms per image in extra", Run, HasPeer: false);

    static Result Run()
    {
        var files = Directory.GetFiles(DataCases.JpegFolder(), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var crop = new RandomResizedCrop(224);
        var flip = new RandomHorizontalFlip();
        var toTensor = new ToTensor();
        var normalize = new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
        var fused = new Compose(toTensor, normalize);
        string[] names = ["read_decode", "random_resized_crop", "flip", "to_tensor", "normalize", "to_tensor_normalize_composed", "collate"];
        var totals = new double[names.Length];
        int images = 0;
        var samples = new List<double>();
        int previousThreads = Torch.GetNumThreads();
        Torch.SetNumThreads(1);
        try
        {
            for (int round = 0; round < 3; round++)   // round 0 warms up (JIT) and is not counted
            {
                var batch = new List<object>();
                double roundWork = 0;
                using var random = SampleRandom.Use(new Generator(round));
                foreach (var file in files)
                {
                    var stage = new double[names.Length];
                    double t0 = ThreadCpuMs();
                    var image = Image.Load(file);
                    double t1 = ThreadCpuMs();
                    var cropped = (Image)crop.Apply(image);
                    double t2 = ThreadCpuMs();
                    var flipped = (Image)flip.Apply(cropped);
                    double t3 = ThreadCpuMs();
                    var tensor = (Tensor)toTensor.Apply(flipped);
                    double t4 = ThreadCpuMs();
                    var normalized = (Tensor)normalize.Apply(tensor);
                    double t5 = ThreadCpuMs();
                    var composed = (Tensor)fused.Apply(flipped);
                    double t6 = ThreadCpuMs();
                    (stage[0], stage[1], stage[2], stage[3], stage[4], stage[5]) = (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5);
                    composed.Dispose();
                    tensor.Dispose();
                    if (!ReferenceEquals(flipped, cropped)) flipped.Dispose();
                    cropped.Dispose();
                    image.Dispose();
                    batch.Add(new object[] { normalized, 0L });
                    if (batch.Count == DataCases.BatchSize)
                    {
                        double c0 = ThreadCpuMs();
                        var collated = (object[])Collate.Default(batch);
                        stage[6] = ThreadCpuMs() - c0;
                        foreach (var part in collated) (part as Tensor)?.Dispose();
                        foreach (object[] sample in batch) ((Tensor)sample[0]).Dispose();
                        batch.Clear();
                    }
                    roundWork += stage.Sum() - stage[5];
                    if (round == 0) continue;
                    for (int s = 0; s < names.Length; s++) totals[s] += stage[s];
                    images++;
                }
                if (round > 0) samples.Add(roundWork);
            }
        }
        finally
        {
            Torch.SetNumThreads(previousThreads);
        }
        var result = Measure.FromSamples("data_jpeg_stages", "data", new() { ["images"] = files.Length, ["threads"] = 1 }, 1, samples,
            files.Length, "images/CPU-s", "thread CPU time of the stages per round of all images (to_tensor_normalize_composed is timed on top, not counted in a round)");
        result.Extra = names.Select((n, s) => (n, s)).ToDictionary(p => p.n + "_ms", p => (object)Math.Round(totals[p.s] / images, 4));
        return result;
    }
}
