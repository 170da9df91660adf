namespace PSTorch.Backends;

/// <summary>
/// The sizes of a 2-d pooling over Planes independent [InHeight, InWidth] planes (batch x channels), giving
/// [OutHeight, OutWidth] planes. Adaptive pooling uses only the in/out sizes.
/// </summary>
internal readonly record struct Pool2dGeometry(
    long Planes, int InHeight, int InWidth, int OutHeight, int OutWidth,
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
    int PaddingHeight, int PaddingWidth, int DilationHeight, int DilationWidth);

/// <summary>Pooling kernels. Inputs and outputs are contiguous; indices are int64 offsets within the input plane (h * W + w), as PyTorch's.</summary>
internal partial interface IBackend
{
    void MaxPool2d(Tensor output, Tensor indices, Tensor input, in Pool2dGeometry g);

    /// <summary>gradInput (zeroed here) receives each gradOutput element at its argmax.</summary>
    void MaxPool2dBackward(Tensor gradInput, Tensor gradOutput, Tensor indices, in Pool2dGeometry g);

    /// <summary>Window means; the divisor is divisorOverride if positive, else the window size with or without the padding.</summary>
    void AvgPool2d(Tensor output, Tensor input, in Pool2dGeometry g, bool countIncludePad, long divisorOverride);

    void AvgPool2dBackward(Tensor gradInput, Tensor gradOutput, in Pool2dGeometry g, bool countIncludePad, long divisorOverride);

    /// <summary>Means over the windows [floor(i*In/Out), ceil((i+1)*In/Out)) of each dim.</summary>
    void AdaptiveAvgPool2d(Tensor output, Tensor input, in Pool2dGeometry g);

    void AdaptiveAvgPool2dBackward(Tensor gradInput, Tensor gradOutput, in Pool2dGeometry g);

    /// <summary>Maxima over the adaptive windows and their indices; a larger value or any NaN takes the place, ties keep the first.</summary>
    void AdaptiveMaxPool2d(Tensor output, Tensor indices, Tensor input, in Pool2dGeometry g);

    /// <summary>gradInput (every element written) = the sum of the gradOutput elements whose index points at it.</summary>
    void AdaptiveMaxPool2dBackward(Tensor gradInput, Tensor gradOutput, Tensor indices, in Pool2dGeometry g);
}
