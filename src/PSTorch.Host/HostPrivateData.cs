namespace PSTorch.Host;

/// <summary>
/// $Host.PrivateData in pstorch. Cmdlets only see the engine's wrapper of the host, so this is how
/// the polyfills reach pstorch's own services.
/// </summary>
public sealed class HostPrivateData
{
    internal HostPrivateData(OutputCapture capture) => OutputCapture = capture;

    public OutputCapture OutputCapture { get; }
}
