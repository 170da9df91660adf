namespace PSTorch.Data;

/// <summary>
/// A dataset whose samples come from a function of the index (the C# side of PowerShell's
/// <c>-Count N -GetItem { param($i) ... }</c>).
/// </summary>
public sealed class DelegateDataset : Dataset
{
    readonly Func<int, object> getItem;

    /// <summary><paramref name="workerThreadSafe"/> is false when the function must run on the thread enumerating the loader.</summary>
    public DelegateDataset(int count, Func<int, object> getItem, bool workerThreadSafe = true)
    {
        if (count < 0) throw new ArgumentException($"count must be non-negative, got {count}");
        Count = count;
        this.getItem = getItem;
        SupportsWorkerThreads = workerThreadSafe;
    }

    public override int Count { get; }
    public override bool SupportsWorkerThreads { get; }
    public override object GetItem(int index) => getItem(CheckIndex(index));
}

/// <summary>
/// A labelled dataset from a list of items (files or ready-made inputs) with a label each. String labels are class
/// names numbered in sorted order; numeric labels are used as they are. Items that are file paths are loaded as
/// images (as ImageFolder does); other items are passed to the transform as they are.
/// </summary>
public sealed class ItemDataset : Dataset
{
    readonly object[] items;
    readonly long[] labels;
    readonly string[]? classNames;

    public ItemDataset(IEnumerable<object> items, IEnumerable<object> labels, Vision.Transform? transform = null)
    {
        this.items = items.ToArray();
        var raw = labels.ToArray();
        if (raw.Length != this.items.Length) throw new ArgumentException($"{this.items.Length} items but {raw.Length} labels");
        if (raw.All(l => l is sbyte or byte or short or ushort or int or uint or long))
            this.labels = raw.Select(l => Convert.ToInt64(l, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        else
        {
            var names = raw.Select(l => l?.ToString() ?? "").ToArray();
            classNames = names.Distinct().Order(StringComparer.Ordinal).ToArray();
            this.labels = names.Select(n => (long)Array.IndexOf(classNames, n)).ToArray();
        }
        Transform = transform;
    }

    public Vision.Transform? Transform { get; set; }
    public override IReadOnlyList<string>? Classes => classNames;
    public IReadOnlyList<long> Targets => labels;
    public override int Count => items.Length;

    public override string? SourceOf(int index) => items[CheckIndex(index)] switch
    {
        string path => path,
        FileInfo file => file.FullName,
        _ => null,
    };

    public override object GetItem(int index)
    {
        index = CheckIndex(index);
        var path = SourceOf(index);
        object loaded = path is not null ? Vision.Image.Load(path) : items[index];
        object input = Transform is null
            ? loaded is Vision.Image image ? Vision.ToTensor.Convert(image) : loaded
            : Transform.Apply(loaded);
        if (loaded is Vision.Image used && !ReferenceEquals(used, input)) used.Dispose();
        return new object[] { input, labels[index] };
    }
}
