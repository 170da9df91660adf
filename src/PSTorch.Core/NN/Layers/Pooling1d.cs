namespace PSTorch.NN;

/// <summary>torch.nn.MaxPool1d; stride defaults to the kernel size.</summary>
public class MaxPool1d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false) : Module
{
    public long KernelSize { get; } = kernelSize;
    public long Stride { get; } = stride ?? kernelSize;
    public long Padding { get; } = padding;
    public long Dilation { get; } = dilation;
    public bool CeilMode { get; } = ceilMode;

    public override Tensor Forward(Tensor input) => Functional.MaxPool1d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    public override string ExtraRepr() =>
        $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={PythonFormat.Bool(CeilMode)}";
}

/// <summary>torch.nn.AvgPool1d; stride defaults to the kernel size (its repr shows 1-tuples, as PyTorch's).</summary>
public class AvgPool1d(long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true) : Module
{
    public long KernelSize { get; } = kernelSize;
    public long Stride { get; } = stride ?? kernelSize;
    public long Padding { get; } = padding;
    public bool CeilMode { get; } = ceilMode;
    public bool CountIncludePad { get; } = countIncludePad;

    public override Tensor Forward(Tensor input) => Functional.AvgPool1d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);

    public override string ExtraRepr() => $"kernel_size=({KernelSize},), stride=({Stride},), padding=({Padding},)";
}

/// <summary>torch.nn.AdaptiveAvgPool1d: averages the last dim to output_size values whatever its length.</summary>
public class AdaptiveAvgPool1d(long outputSize) : Module
{
    public long OutputSize { get; } = outputSize;
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool1d(input, OutputSize);
    public override string ExtraRepr() => $"output_size={OutputSize}";
}

/// <summary>torch.nn.AdaptiveMaxPool1d: maxima of the last dim to output_size values; ForwardWithIndices also gives their positions.</summary>
public class AdaptiveMaxPool1d(long outputSize) : Module
{
    public long OutputSize { get; } = outputSize;
    public override Tensor Forward(Tensor input) => Functional.AdaptiveMaxPool1d(input, OutputSize);
    public ValuesAndIndices ForwardWithIndices(Tensor input) => Functional.AdaptiveMaxPool1dWithIndices(input, OutputSize);
    public override string ExtraRepr() => $"output_size={OutputSize}";
}
