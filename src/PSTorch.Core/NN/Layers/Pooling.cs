namespace PSTorch.NN;

/// <summary>Sizes shown as PyTorch shows what was passed: an int as 2, a pair as (2, 2).</summary>
file static class PoolRepr
{
    public static string Size(long[] values) => values.Length == 1 ? values[0].ToString() : ConvArguments.Tuple(values);
}

/// <summary>torch.nn.MaxPool2d; stride defaults to the kernel size.</summary>
public class MaxPool2d(long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceilMode = false) : Module
{
    public MaxPool2d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
        : this([kernelSize], stride is { } s ? [s] : null, [padding], [dilation], ceilMode) { }

    public long[] KernelSize { get; } = kernelSize;
    public long[] Stride { get; } = stride is { Length: > 0 } ? stride : kernelSize;
    public long[] Padding { get; } = padding ?? [0];
    public long[] Dilation { get; } = dilation ?? [1];
    public bool CeilMode { get; } = ceilMode;

    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    public override string ExtraRepr() =>
        $"kernel_size={PoolRepr.Size(KernelSize)}, stride={PoolRepr.Size(Stride)}, padding={PoolRepr.Size(Padding)}, dilation={PoolRepr.Size(Dilation)}, ceil_mode={(CeilMode ? "True" : "False")}";
}

/// <summary>torch.nn.AvgPool2d; stride defaults to the kernel size.</summary>
public class AvgPool2d(long[] kernelSize, long[]? stride = null, long[]? padding = null, bool ceilMode = false, bool countIncludePad = true, long? divisorOverride = null) : Module
{
    public AvgPool2d(long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true, long? divisorOverride = null)
        : this([kernelSize], stride is { } s ? [s] : null, [padding], ceilMode, countIncludePad, divisorOverride) { }

    public long[] KernelSize { get; } = kernelSize;
    public long[] Stride { get; } = stride is { Length: > 0 } ? stride : kernelSize;
    public long[] Padding { get; } = padding ?? [0];
    public bool CeilMode { get; } = ceilMode;
    public bool CountIncludePad { get; } = countIncludePad;
    public long? DivisorOverride { get; } = divisorOverride;

    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad, DivisorOverride);

    public override string ExtraRepr() => $"kernel_size={PoolRepr.Size(KernelSize)}, stride={PoolRepr.Size(Stride)}, padding={PoolRepr.Size(Padding)}";
}

/// <summary>torch.nn.AdaptiveAvgPool2d: averages to a fixed output size whatever the input size.</summary>
public class AdaptiveAvgPool2d(long[] outputSize) : Module
{
    public AdaptiveAvgPool2d(long outputSize) : this([outputSize]) { }

    public long[] OutputSize { get; } = outputSize;

    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, OutputSize);

    public override string ExtraRepr() => $"output_size={PoolRepr.Size(OutputSize)}";
}

/// <summary>
/// torch.nn.AdaptiveMaxPool2d: window maxima to a fixed output size whatever the input size; a null size keeps the
/// input's. Forward gives the maxima; ForwardWithIndices also their positions (return_indices=True).
/// </summary>
public class AdaptiveMaxPool2d(long?[] outputSize) : Module
{
    public AdaptiveMaxPool2d(long outputSize) : this([(long?)outputSize]) { }

    public long?[] OutputSize { get; } = outputSize;

    public override Tensor Forward(Tensor input) => Functional.AdaptiveMaxPool2d(input, OutputSize);

    public ValuesAndIndices ForwardWithIndices(Tensor input) => Functional.AdaptiveMaxPool2dWithIndices(input, OutputSize);

    public override string ExtraRepr()
    {
        static string Show(long? size) => size?.ToString() ?? "None";
        return $"output_size={(OutputSize.Length == 1 ? Show(OutputSize[0]) : $"({string.Join(", ", OutputSize.Select(Show))})")}";
    }
}
