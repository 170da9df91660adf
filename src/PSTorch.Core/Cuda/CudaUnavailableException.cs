namespace PSTorch;

/// <summary>
/// A CUDA device was asked for but cannot be used here: no NVIDIA driver, no visible device, or no PSTorch CUDA
/// library. The message reads "CUDA unavailable: &lt;reason&gt;". A NotSupportedException, so callers that treat
/// "this device is not supported here" generally keep working.
/// </summary>
public sealed class CudaUnavailableException(string reason) : NotSupportedException($"CUDA unavailable: {reason}")
{
    public string Reason { get; } = reason;
}
