using PSTorch.Ops;

namespace PSTorch.NN;

/// <summary>
/// What Conv1d, Conv2d and ConvTranspose2d share (PyTorch's _ConvNd): the weight/bias parameters, their default
/// initialisation (kaiming_uniform(a=sqrt(5)) weight, uniform(±1/sqrt(fan_in)) bias) and the repr.
/// </summary>
public abstract class ConvNd : Module
{
    private protected ConvNd(int dims, long inChannels, long outChannels, long[] kernelSize, long[]? stride, object? padding, long[]? dilation,
        bool transposed, long[]? outputPadding, long groups, bool bias, DType? dtype, Device? device)
    {
        if (groups <= 0) throw new ArgumentException("groups must be a positive integer");
        if (inChannels % groups != 0) throw new ArgumentException("in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new ArgumentException("out_channels must be divisible by groups");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = ConvArguments.Expand(kernelSize, dims, 1, "kernel_size");
        Stride = ConvArguments.Expand(stride, dims, 1, "stride");
        Dilation = ConvArguments.Expand(dilation, dims, 1, "dilation");
        OutputPadding = ConvArguments.Expand(outputPadding, dims, 0, "output_padding");
        Groups = groups;
        Transposed = transposed;
        if (padding is string mode)
        {
            ConvArguments.Padding(mode, dims, KernelSize, Stride, Dilation); // validates the string and the stride
            PaddingMode = mode;
            Padding = new long[dims];
        }
        else Padding = ConvArguments.Expand(ConvArguments.ToSizes(padding), dims, 0, "padding");
        long[] weightShape = transposed ? [inChannels, outChannels / groups, .. KernelSize] : [outChannels, inChannels / groups, .. KernelSize];
        Weight = new Parameter(Torch.Empty(weightShape, dtype, device));
        RegisterParameter("weight", Weight);
        if (bias)
        {
            Bias = new Parameter(Torch.Empty([outChannels], dtype, device));
            RegisterParameter("bias", Bias);
        }
        ResetParameters();
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public long[] KernelSize { get; }
    public long[] Stride { get; }
    /// <summary>Explicit zero padding per dim (zeros when <see cref="PaddingMode"/> is "same" or "valid").</summary>
    public long[] Padding { get; }
    /// <summary>"same" or "valid" when the layer was built with a padding string, else null.</summary>
    public string? PaddingMode { get; }
    public long[] Dilation { get; }
    public long[] OutputPadding { get; }
    public long Groups { get; }
    public bool Transposed { get; }
    public Parameter Weight { get; }
    public Parameter? Bias { get; }

    /// <summary>Where an output's channels are: dim 1 of [N, C, ...], dim 0 of an unbatched [C, ...].</summary>
    private protected int ChannelDim(Tensor output) => output.NDim - 1 - KernelSize.Length;

    /// <summary>The padding argument to pass to the functional form.</summary>
    private protected object PaddingArgument => PaddingMode ?? (object)Padding;

    public void ResetParameters()
    {
        Init.KaimingUniform_(Weight, a: Math.Sqrt(5));
        if (Bias != null)
        {
            var (fanIn, _) = Init.CalculateFanInAndFanOut(Weight);
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform_(Bias, -bound, bound);
        }
    }

    public override string ExtraRepr()
    {
        var s = $"{InChannels}, {OutChannels}, kernel_size={ConvArguments.Tuple(KernelSize)}, stride={ConvArguments.Tuple(Stride)}";
        if (PaddingMode != null) s += $", padding={PaddingMode}";
        else if (Padding.Any(p => p != 0)) s += $", padding={ConvArguments.Tuple(Padding)}";
        if (Dilation.Any(d => d != 1)) s += $", dilation={ConvArguments.Tuple(Dilation)}";
        if (OutputPadding.Any(p => p != 0)) s += $", output_padding={ConvArguments.Tuple(OutputPadding)}";
        if (Groups != 1) s += $", groups={Groups}";
        if (Bias == null) s += ", bias=False";
        return s;
    }
}

/// <summary>torch.nn.Conv1d: input [N, in_channels, L].</summary>
public class Conv1d : ConvNd
{
    public Conv1d(long inChannels, long outChannels, long[] kernelSize, long[]? stride = null, object? padding = null, long[]? dilation = null,
        long groups = 1, bool bias = true, DType? dtype = null, Device? device = null)
        : base(1, inChannels, outChannels, kernelSize, stride, padding, dilation, false, null, groups, bias, dtype, device) { }

    public Conv1d(long inChannels, long outChannels, long kernelSize, long stride = 1, object? padding = null, long dilation = 1,
        long groups = 1, bool bias = true, DType? dtype = null, Device? device = null)
        : this(inChannels, outChannels, [kernelSize], [stride], padding, [dilation], groups, bias, dtype, device) { }

    public override Tensor Forward(Tensor input) =>
        Functional.Conv1d(input, Weight, Bias, Stride, PaddingArgument, Dilation, Groups);

    /// <summary>act(Forward(input)) with the bias add and the activation in one pass (<see cref="Sequential"/>'s fusion).</summary>
    internal Tensor ForwardActivated(Tensor input, BiasActivationKind kind)
    {
        using var convolved = Functional.Conv1d(input, Weight, null, Stride, PaddingArgument, Dilation, Groups);
        return BiasActivation.Apply(convolved, Bias, ChannelDim(convolved), kind);
    }
}

/// <summary>torch.nn.Conv2d: input [N, in_channels, H, W].</summary>
public class Conv2d : ConvNd
{
    public Conv2d(long inChannels, long outChannels, long[] kernelSize, long[]? stride = null, object? padding = null, long[]? dilation = null,
        long groups = 1, bool bias = true, DType? dtype = null, Device? device = null)
        : base(2, inChannels, outChannels, kernelSize, stride, padding, dilation, false, null, groups, bias, dtype, device) { }

    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, object? padding = null, long dilation = 1,
        long groups = 1, bool bias = true, DType? dtype = null, Device? device = null)
        : this(inChannels, outChannels, [kernelSize], [stride], padding, [dilation], groups, bias, dtype, device) { }

    public override Tensor Forward(Tensor input) =>
        Functional.Conv2d(input, Weight, Bias, Stride, PaddingArgument, Dilation, Groups);

    /// <summary>act(Forward(input)) with the bias add and the activation in one pass (<see cref="Sequential"/>'s fusion).</summary>
    internal Tensor ForwardActivated(Tensor input, BiasActivationKind kind)
    {
        using var convolved = Functional.Conv2d(input, Weight, null, Stride, PaddingArgument, Dilation, Groups);
        return BiasActivation.Apply(convolved, Bias, ChannelDim(convolved), kind);
    }
}

/// <summary>torch.nn.ConvTranspose2d: the gradient of a Conv2d with respect to its input, as a layer.</summary>
public class ConvTranspose2d : ConvNd
{
    public ConvTranspose2d(long inChannels, long outChannels, long[] kernelSize, long[]? stride = null, long[]? padding = null,
        long[]? outputPadding = null, long groups = 1, bool bias = true, long[]? dilation = null, DType? dtype = null, Device? device = null)
        : base(2, inChannels, outChannels, kernelSize, stride, padding, dilation, true, outputPadding, groups, bias, dtype, device) { }

    public ConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0,
        long outputPadding = 0, long groups = 1, bool bias = true, long dilation = 1, DType? dtype = null, Device? device = null)
        : this(inChannels, outChannels, [kernelSize], [stride], [padding], [outputPadding], groups, bias, [dilation], dtype, device) { }

    public override Tensor Forward(Tensor input) =>
        Functional.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding, Groups, Dilation);
}
