namespace PSTorch.Backends;

/// <summary>
/// Random fills. Each reads Philox blocks from <c>state</c> in the element layout of <see cref="RandomLayout"/>
/// (by row-major element index, whatever dst's strides), so all backends produce the same numbers.
/// </summary>
internal partial interface IBackend
{
    /// <summary>Uniform in [from, to); dst is floating point.</summary>
    void FillUniform(Tensor dst, double from, double to, PhiloxState state);

    /// <summary>Normal(mean, std) by Box-Muller; dst is floating point.</summary>
    void FillNormal(Tensor dst, double mean, double std, PhiloxState state);

    /// <summary>Integers uniform in [low, high); dst is int64.</summary>
    void FillRandint(Tensor dst, long low, long high, PhiloxState state);

    /// <summary>A random permutation of 0..n-1 (Fisher-Yates; step i uses 64-bit draw i); dst is a contiguous int64 vector.</summary>
    void FillRandperm(Tensor dst, PhiloxState state);
}
