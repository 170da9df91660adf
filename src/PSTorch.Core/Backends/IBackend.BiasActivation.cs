using PSTorch.Ops;

namespace PSTorch.Backends;

/// <summary>
/// A layer's bias add and the activation after it in one pass (<see cref="Ops.BiasActivation"/>). Tensors are contiguous
/// and of one floating dtype, viewed as [outer, channels, inner]: element i takes bias[(i / inner) % channels]; a null
/// bias adds nothing. The backward recomputes pre + bias for GELU rather than reading a saved sum.
/// </summary>
internal partial interface IBackend
{
    /// <summary>output = act(pre + bias); at least one element.</summary>
    void BiasActivation(Tensor output, Tensor pre, Tensor? bias, long channels, long inner, BiasActivationKind kind);

    /// <summary>
    /// gradPre = gradOutput * act'(pre + bias), where <paramref name="saved"/> is relu's output (its sign decides, as in
    /// threshold_backward; <paramref name="bias"/> unused) or GELU's pre. gradBias (optional, [channels]) = gradPre summed
    /// over outer and inner. At least one element.
    /// </summary>
    void BiasActivationBackward(Tensor gradPre, Tensor? gradBias, Tensor gradOutput, Tensor saved, Tensor? bias, long channels, long inner, BiasActivationKind kind);
}
