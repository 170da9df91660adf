namespace PSTorch.Autograd;

/// <summary>Counts in-place writes; shared by a tensor and its views so autograd can detect modified saved tensors.</summary>
public sealed class VersionCounter
{
    int version;
    public int Version => version;
    internal void Bump() => Interlocked.Increment(ref version);
}
