namespace PSTorch.Backends;

/// <summary>
/// Fused dropout (the contract of pst_dropout in pstorch_cuda.h), float32 and float64 over contiguous tensors.
/// Element i draws u exactly as a uniform fill from <c>state</c> would (<see cref="RandomLayout"/>: float32 block i/4
/// word i%4, float64 block i/2), is kept when u &gt;= p (compared in the dtype), and output = input * (kept ? scale : 0)
/// with scale = 1 / (1 - p) computed in the dtype; mask[i] (bool) = kept. So the output equals the composition
/// input * ((rand_like(input) &gt;= p) / (1 - p)) for the same generator state, bit for bit.
/// </summary>
internal partial interface IBackend
{
    /// <summary>p in [0, 1); the caller reserves the Philox blocks of a uniform fill of the input's size.</summary>
    void Dropout(Tensor output, Tensor mask, Tensor input, double p, PhiloxState state);

    /// <summary>gradInput = gradOutput * (mask ? scale : 0), scale as in <see cref="Dropout"/>.</summary>
    void DropoutBackward(Tensor gradInput, Tensor gradOutput, Tensor mask, double p);
}
