using PSTorch.Vision;

namespace PSTorch.Data;

/// <summary>One file of a folder-based dataset and its class index.</summary>
public sealed record FileSample(string Path, int Label);

/// <summary>Progress of a long scan (files found so far in the class being scanned).</summary>
public sealed record ScanProgress(string Class, int ClassNumber, int ClassCount, int FilesFound);

/// <summary>
/// torchvision.datasets.ImageFolder: root/&lt;class&gt;/**/&lt;file&gt;; class folders sorted by name get labels 0, 1, ...
/// Sample i is <c>object[] { transform(loader(path)), targetTransform(label) }</c>; without a transform the image goes
/// through ToTensor, so the default collate can batch it.
/// </summary>
public class ImageFolder : Dataset
{
    /// <summary>torchvision's IMG_EXTENSIONS.</summary>
    public static readonly IReadOnlyList<string> ImageExtensions = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"];

    readonly FileSample[] samples;
    readonly bool usesDefaultLoader;

    public ImageFolder(string root, Transform? transform = null, Func<object, object>? targetTransform = null,
        Func<string, object>? loader = null, IEnumerable<string>? extensions = null, Func<string, bool>? isValidFile = null,
        IProgress<ScanProgress>? progress = null)
    {
        Root = Path.GetFullPath(root);
        if (!Directory.Exists(Root)) throw new DirectoryNotFoundException($"Couldn't find the dataset folder '{root}'.");
        var exts = (extensions ?? ImageExtensions).Select(e => e.StartsWith('.') ? e : "." + e).ToArray();
        if (isValidFile is not null && extensions is not null)
            throw new ArgumentException("Both extensions and is_valid_file cannot be None or not None at the same time");
        var valid = isValidFile ?? (path => exts.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)));

        var classes = Directory.GetDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length == 0) throw new FileNotFoundException($"Couldn't find any class folder in {Root}.");
        ClassList = classes!;
        ClassToIdx = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c!, p => p.i);

        var found = new List<FileSample>();
        var empty = new List<string>();
        for (int label = 0; label < classes.Length; label++)
        {
            int before = found.Count;
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, classes[label]!), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (!valid(file)) continue;
                found.Add(new FileSample(file, label));
                if ((found.Count - before) % 256 == 0) progress?.Report(new ScanProgress(classes[label]!, label, classes.Length, found.Count));
            }
            if (found.Count == before) empty.Add(classes[label]!);
            progress?.Report(new ScanProgress(classes[label]!, label + 1, classes.Length, found.Count));
        }
        if (empty.Count > 0)
            throw new FileNotFoundException($"Found no valid file for the classes {string.Join(", ", empty)}. Supported extensions are: {string.Join(", ", exts)}");
        samples = found.ToArray();
        Transform = transform;
        TargetTransform = targetTransform;
        Loader = loader ?? (path => Image.Load(path));
        usesDefaultLoader = loader is null;
    }

    public string Root { get; }
    public IReadOnlyList<string> ClassList { get; }
    public override IReadOnlyList<string> Classes => ClassList;
    public IReadOnlyDictionary<string, int> ClassToIdx { get; }

    /// <summary>(path, label) of every sample, in index order.</summary>
    public IReadOnlyList<FileSample> Samples => samples;

    /// <summary>The label of every sample (torchvision's targets).</summary>
    public IReadOnlyList<int> Targets => samples.Select(s => s.Label).ToArray();

    public Transform? Transform { get; set; }
    public Func<object, object>? TargetTransform { get; set; }
    public Func<string, object> Loader { get; }

    public override int Count => samples.Length;

    public override string? SourceOf(int index) => samples[CheckIndex(index)].Path;

    /// <summary>Files are decoded anew for each sample; a custom loader may hand out objects it keeps.</summary>
    internal override bool SamplesAreNew => usesDefaultLoader;

    public override object GetItem(int index)
    {
        var (path, label) = samples[CheckIndex(index)];
        var loaded = Loader(path);
        object input = loaded;
        if (Transform is not null)
        {
            input = Transform.Apply(loaded);
            if (!ReferenceEquals(input, loaded) && loaded is Image image) image.Dispose();
        }
        else if (loaded is Image image)
        {
            input = ToTensor.Convert(image);
            image.Dispose();
        }
        return new object[] { input, TargetTransform is null ? (long)label : TargetTransform(label) };
    }

    public override string Describe() => $"ImageFolder({Count} samples, {ClassList.Count} classes, root='{Root}')";
}
