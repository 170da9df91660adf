namespace PSTorch.Data;

/// <summary>
/// The deterministic, class-balanced Fashion-MNIST sample kept in the repository's data/ folder
/// (6,000 training / 1,000 test images; MIT licence beside it; made by data/make-fashion-mnist-sample.py).
/// </summary>
public static class FashionMnistSample
{
    /// <summary>Fashion-MNIST's class names, by label.</summary>
    public static readonly IReadOnlyList<string> Classes =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The folder holding the sample: <paramref name="dataFolder"/>, else PSTORCH_DATA, else the first data/ folder above this assembly.</summary>
    public static string Locate(string? dataFolder = null)
    {
        static bool Holds(string? folder) => folder is not null && File.Exists(System.IO.Path.Combine(folder, "fashion-mnist-sample", "train-images-idx3-ubyte.gz"));
        if (dataFolder is not null)
            return Holds(dataFolder) ? System.IO.Path.Combine(dataFolder, "fashion-mnist-sample")
                : throw new DirectoryNotFoundException($"'{dataFolder}' does not hold fashion-mnist-sample/");
        var fromEnvironment = Environment.GetEnvironmentVariable("PSTORCH_DATA");
        if (Holds(fromEnvironment)) return System.IO.Path.Combine(fromEnvironment!, "fashion-mnist-sample");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "data");
            if (Holds(candidate)) return System.IO.Path.Combine(candidate, "fashion-mnist-sample");
        }
        throw new DirectoryNotFoundException("The embedded Fashion-MNIST sample (data/fashion-mnist-sample) was not found; set PSTORCH_DATA to the data folder.");
    }

    /// <summary>The training (6,000) or test (1,000) part.</summary>
    public static IdxDataset Load(bool train = true, Vision.Transform? transform = null, string? dataFolder = null)
    {
        var folder = Locate(dataFolder);
        var prefix = train ? "train" : "t10k";
        return new IdxDataset(System.IO.Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), System.IO.Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"), transform, classes: Classes);
    }
}
