namespace PSTorch.Backends;

internal partial interface IBackend
{
    /// <summary>relu's gradient on contiguous float32/float64 tensors of one shape and dtype: gradInput = output > 0 ? gradOutput : 0.</summary>
    void ReluBackward(Tensor gradInput, Tensor gradOutput, Tensor output);
}
