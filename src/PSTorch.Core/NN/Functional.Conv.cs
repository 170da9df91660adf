using PSTorch.Ops;

namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>1-d convolution of [N, C, L] (or [C, L]) with weight [out, C / groups, k]; padding is an int, a list, "same" or "valid".</summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, object? padding = null, long[]? dilation = null, long groups = 1) =>
        Convolve("conv1d", 1, input, weight, bias, stride, padding, dilation, groups);

    /// <summary>2-d convolution of [N, C, H, W] (or [C, H, W]) with weight [out, C / groups, kh, kw]; padding is an int, a pair, "same" or "valid".</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, object? padding = null, long[]? dilation = null, long groups = 1) =>
        Convolve("conv2d", 2, input, weight, bias, stride, padding, dilation, groups);

    /// <summary>The transpose (gradient) of conv2d; weight is [in, out / groups, kh, kw].</summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
        long[]? outputPadding = null, long groups = 1, long[]? dilation = null)
    {
        CheckWeightDims("conv_transpose2d", 2, weight);
        var p = ConvArguments.Expand(padding, 2, 0, "padding");
        return Convolution.Apply("conv_transpose2d", input, weight, bias, ConvArguments.Expand(stride, 2, 1, "stride"), p, null,
            ConvArguments.Expand(dilation, 2, 1, "dilation"), transposed: true, ConvArguments.Expand(outputPadding, 2, 0, "output_padding"), groups);
    }

    static Tensor Convolve(string function, int dims, Tensor input, Tensor weight, Tensor? bias, long[]? stride, object? padding, long[]? dilation, long groups)
    {
        CheckWeightDims(function, dims, weight);
        var s = ConvArguments.Expand(stride, dims, 1, "stride");
        var d = ConvArguments.Expand(dilation, dims, 1, "dilation");
        var kernel = weight.Shape[2..];
        var (begin, end) = ConvArguments.Padding(padding, dims, kernel, s, d);
        return Convolution.Apply(function, input, weight, bias, s, begin, end, d, transposed: false, new long[dims], groups);
    }

    static void CheckWeightDims(string function, int dims, Tensor weight)
    {
        if (weight.NDim != dims + 2)
            throw new ArgumentException($"{function}: expected weight to be {dims + 2}-dimensional, but got weight of size {Shapes.Format(weight.ShapeRef)}");
    }
}
