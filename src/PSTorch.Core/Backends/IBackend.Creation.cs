namespace PSTorch.Backends;

/// <summary>Kernels that create values from a rule rather than from inputs.</summary>
internal partial interface IBackend
{
    /// <summary>dst[i] = start + i * step over the row-major index (exact in int64 when start and step are whole).</summary>
    void FillArange(Tensor dst, double start, double step);

    /// <summary>steps = dst.Numel() points from start to end, computed from both ends (PyTorch's linspace) so the last is exactly end.</summary>
    void FillLinspace(Tensor dst, double start, double end);
}
