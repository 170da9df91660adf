namespace PSTorch.NN;

/// <summary>
/// The pointwise activations of torch.nn.functional beyond relu/elu/silu, composed from existing tensor ops so they
/// run on every device and differentiate through autograd. Formulas are PyTorch's.
/// </summary>
public static partial class Functional
{
    const double SeluAlpha = 1.6732632423543772848170429916717;
    const double SeluScale = 1.0507009873554804934193349852946;

    /// <summary>log(1 + exp(beta * x)) / beta, reverting to x where beta * x > threshold.</summary>
    public static Tensor Softplus(Tensor input, double beta = 1.0, double threshold = 20.0)
    {
        var scaled = input * beta;
        return Torch.Where(scaled > threshold, input, Log1pExp(scaled) / beta);
    }

    /// <summary>log(sigmoid(x)) = -log(1 + exp(-x)), finite for large |x| (no threshold, as PyTorch's log_sigmoid).</summary>
    public static Tensor LogSigmoid(Tensor input) => -Log1pExp(-input);

    /// <summary>
    /// log(1 + exp(z)) without overflow, and exact far into the negative tail (log1p): z + log(1 + exp(-z)) for z > 0. Each branch's exp argument is clamped to at most
    /// 0 so the branch Where leaves out cannot overflow to inf and turn its zero gradient into NaN; at z = 0 the
    /// second branch gives PyTorch's derivative 1/2.
    /// </summary>
    static Tensor Log1pExp(Tensor z) =>
        Torch.Where(z > 0, z + (-z.ClampMin(0.0)).Exp().Log1p(), z.ClampMax(0.0).Exp().Log1p());

    /// <summary>x clamped to [minVal, maxVal].</summary>
    public static Tensor Hardtanh(Tensor input, double minVal = -1.0, double maxVal = 1.0, bool inplace = false) =>
        InPlaceOrNot(input, input.Clamp(minVal, maxVal), inplace);

    public static Tensor Relu6(Tensor input, bool inplace = false) => Hardtanh(input, 0, 6, inplace);

    /// <summary>x where x > 0, weight * x elsewhere; weight has one value or one per channel (dim 1, or dim 0 of a 1-d input).</summary>
    public static Tensor Prelu(Tensor input, Tensor weight)
    {
        if (weight.NDim > 1) throw new ArgumentException($"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.NDim}");
        long parameters = weight.Numel();
        var slope = weight;
        if (parameters != 1)
        {
            if (input.NDim == 0) throw new ArgumentException("Not allow zero-dim input tensor.");
            int channelDim = input.NDim >= 2 ? 1 : 0;
            long channels = input.Size(channelDim);
            if (channels != parameters)
                throw new ArgumentException($"Mismatch of parameter numbers and input channel size. Found parameter numbers = {parameters} and channel size = {channels}.");
            slope = weight.View([channels, .. Enumerable.Repeat(1L, input.NDim - channelDim - 1)]);
        }
        return Torch.Where(input > 0, input, slope * input);
    }

    public static Tensor Selu(Tensor input, bool inplace = false) => InPlaceOrNot(input, Elu(input, SeluAlpha) * SeluScale, inplace);

    /// <summary>max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).</summary>
    public static Tensor Celu(Tensor input, double alpha = 1.0, bool inplace = false)
    {
        if (alpha == 0) throw new ArgumentException("ZeroDivisionError: alpha cannot be 0 for CELU");
        return InPlaceOrNot(input, Torch.Where(input > 0, input, ((input / alpha).Exp() - 1) * alpha), inplace);
    }

    /// <summary>x * tanh(softplus(x)).</summary>
    public static Tensor Mish(Tensor input, bool inplace = false) => InPlaceOrNot(input, input * Softplus(input).Tanh(), inplace);

    /// <summary>x * relu6(x + 3) / 6.</summary>
    public static Tensor Hardswish(Tensor input, bool inplace = false) => InPlaceOrNot(input, input * (input + 3).Clamp(0.0, 6.0) / 6, inplace);

    /// <summary>relu6(x + 3) / 6.</summary>
    public static Tensor Hardsigmoid(Tensor input, bool inplace = false) => InPlaceOrNot(input, (input + 3).Clamp(0.0, 6.0) / 6, inplace);

    /// <summary>x / (1 + |x|).</summary>
    public static Tensor Softsign(Tensor input) => input / (input.Abs() + 1);

    /// <summary>x - tanh(x).</summary>
    public static Tensor Tanhshrink(Tensor input) => input - input.Tanh();

    /// <summary>x where |x| > lambd, 0 elsewhere.</summary>
    public static Tensor Hardshrink(Tensor input, double lambd = 0.5) => Torch.Where(input.Abs() > lambd, input, 0.0);

    /// <summary>x - lambd above lambd, x + lambd below -lambd, 0 between.</summary>
    public static Tensor Softshrink(Tensor input, double lambd = 0.5)
    {
        if (lambd < 0) throw new ArgumentException($"lambda must be greater or equal to 0, but found to be {PythonFormat.Float(lambd)}.");
        return Torch.Where(input > lambd, input - lambd, Torch.Where(input < -lambd, input + lambd, 0.0));
    }

    /// <summary>x where x > threshold, value elsewhere.</summary>
    public static Tensor Threshold(Tensor input, double threshold, double value, bool inplace = false) =>
        InPlaceOrNot(input, Torch.Where(input > threshold, input, value), inplace);

    /// <summary>Gated linear unit: the first half of dim times the sigmoid of the second half.</summary>
    public static Tensor Glu(Tensor input, int dim = -1)
    {
        if (input.NDim == 0) throw new ArgumentException("glu does not support scalars because halving size must be even");
        int d = dim < 0 ? dim + input.NDim : dim;
        if (d < 0 || d >= input.NDim)
            throw new ArgumentException($"Dimension out of range (expected to be in range of [{-input.NDim}, {input.NDim - 1}], but got {dim})");
        long size = input.Size(d);
        if (size % 2 != 0) throw new ArgumentException($"Halving dimension must be even, but dimension {d} is size {size}");
        return input.Narrow(d, 0, size / 2) * input.Narrow(d, size / 2, size / 2).Sigmoid();
    }

    /// <summary>softmax(-x) along dim.</summary>
    public static Tensor Softmin(Tensor input, int dim) => (-input).Softmax(dim);

    /// <summary>The in-place variants write the result back into the input (an in-place op for autograd's version checks).</summary>
    static Tensor InPlaceOrNot(Tensor input, Tensor result, bool inplace) => inplace ? input.Copy_(result) : result;
}
