namespace PSTorch.Backends;

/// <summary>GELU kernels on contiguous floating tensors of one dtype: the exact erf form or the tanh approximation.</summary>
internal partial interface IBackend
{
    void Gelu(Tensor output, Tensor input, bool tanhApproximation);

    /// <summary>gradInput = gradOutput * d gelu(input) / d input.</summary>
    void GeluBackward(Tensor gradInput, Tensor gradOutput, Tensor input, bool tanhApproximation);
}
