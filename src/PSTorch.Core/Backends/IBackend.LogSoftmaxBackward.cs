namespace PSTorch.Backends;

internal partial interface IBackend
{
    /// <summary>
    /// log_softmax's gradient on contiguous float32/float64 [outer, n, inner] blocks of one dtype:
    /// gradInput = gradOutput - exp(output) * sum(gradOutput along n).
    /// </summary>
    void LogSoftmaxBackward(Tensor gradInput, Tensor gradOutput, Tensor output, long outer, long n, long inner);
}
