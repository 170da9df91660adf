namespace PSTorch.Data;

/// <summary>What the loader does when a sample cannot be loaded (a corrupt image, a missing file).</summary>
public enum BadSamplePolicy
{
    /// <summary>Raise a <see cref="SampleLoadException"/> naming the dataset index and the file.</summary>
    Raise,
    /// <summary>Leave the sample out; its batch comes out smaller (a batch with no good sample is not emitted).</summary>
    Skip,
    /// <summary>Load another randomly drawn sample in its place.</summary>
    Substitute,
}

/// <summary>A sample failed to load; <see cref="Index"/> and <see cref="Source"/> say which.</summary>
public sealed class SampleLoadException : Exception
{
    public SampleLoadException(int index, string? source, Exception inner)
        : base($"Failed to load sample {index}{(source is null ? "" : $" ('{source}')")}: {inner.Message}", inner)
    {
        Index = index;
        Source = source;
    }

    public int Index { get; }
    public new string? Source { get; }
}
