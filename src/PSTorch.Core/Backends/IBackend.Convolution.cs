namespace PSTorch.Backends;

/// <summary>
/// The sizes of one 2-d convolution: input [Batch, InChannels, InHeight, InWidth], weight
/// [OutChannels, InChannels / Groups, KernelHeight, KernelWidth], output [Batch, OutChannels, OutHeight, OutWidth].
/// Padding is the amount added before the first row/column; the output size already accounts for any
/// (possibly larger) padding after the last one, so asymmetric "same" padding needs nothing else.
/// </summary>
internal readonly record struct Conv2dGeometry(
    int Batch, int InChannels, int InHeight, int InWidth,
    int OutChannels, int OutHeight, int OutWidth,
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
    int PaddingHeight, int PaddingWidth, int DilationHeight, int DilationWidth, int Groups)
{
    public int InChannelsPerGroup => InChannels / Groups;
    public int OutChannelsPerGroup => OutChannels / Groups;
    public int OutPlane => OutHeight * OutWidth;
    public int InPlane => InHeight * InWidth;
    /// <summary>Rows of the unfolded input of one group: (InChannels / Groups) * KernelHeight * KernelWidth.</summary>
    public int PatchSize => InChannelsPerGroup * KernelHeight * KernelWidth;
    /// <summary>A 1x1 kernel with unit stride and no padding reads the input plane as the unfolded matrix itself.</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1 &&
        PaddingHeight == 0 && PaddingWidth == 0 && OutHeight == InHeight && OutWidth == InWidth;
}

/// <summary>Convolution kernels (on the CPU: direct, implicit-GEMM or im2col + GEMM by layer shape). All tensors are contiguous and share one floating dtype.</summary>
internal partial interface IBackend
{
    /// <summary>output = conv2d(input, weight) + bias.</summary>
    void Conv2d(Tensor output, Tensor input, Tensor weight, Tensor? bias, in Conv2dGeometry g);

    /// <summary>gradInput = d conv2d / d input applied to gradOutput (also the forward of the transposed convolution).</summary>
    void Conv2dBackwardInput(Tensor gradInput, Tensor gradOutput, Tensor weight, in Conv2dGeometry g);

    /// <summary>
    /// gradWeight = d conv2d / d weight applied to gradOutput, summed over the batch; with <paramref name="gradBias"/>, also
    /// the bias gradient (<see cref="Conv2dBackwardBias"/>), which a kernel may take from the same pass over gradOutput.
    /// </summary>
    void Conv2dBackwardWeight(Tensor gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, in Conv2dGeometry g);

    /// <summary>gradBias[c] = the sum of gradOutput [N, C, ...] over every dim but the channel's.</summary>
    void Conv2dBackwardBias(Tensor gradBias, Tensor gradOutput);
}
