namespace PSTorch.NN;

/// <summary>torch.nn.functional: the operations behind the layers, usable directly.</summary>
public static partial class Functional
{
    /// <summary>y = x W^T + b; x is [*, in_features], W is [out_features, in_features].</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        (input, weight, bias) = Amp.Autocast.Cast("linear", input, weight, bias);
        if (input.NDim == 2 && bias != null) return Torch.Addmm(bias, input, weight.T());
        var y = input.MatMul(weight.T());
        return bias != null ? y + bias : y;
    }

    public static Tensor Relu(Tensor input, bool inplace = false) => inplace ? input.Relu_() : input.Relu();

    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01) => Torch.Where(input > 0, input, input * negativeSlope);

    public static Tensor Elu(Tensor input, double alpha = 1.0) => Torch.Where(input > 0, input, (input.Exp() - 1) * alpha);

    public static Tensor Silu(Tensor input) => input * input.Sigmoid();

    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();

    public static Tensor Tanh(Tensor input) => input.Tanh();

    public static Tensor Softmax(Tensor input, int dim) => input.Softmax(dim);

    public static Tensor LogSoftmax(Tensor input, int dim) => input.LogSoftmax(dim);

    /// <summary>Zeroes elements with probability p in training and scales the rest by 1/(1-p).</summary>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        if (!training || p == 0) return input;
        if (p == 1) return input * 0;
        if (Ops.Dropout.Supports(input)) return Ops.Dropout.Apply(input, p, generator);
        var keep = (Torch.RandLike(input, generator: generator) >= p).To(input.DType);
        return input * (keep / (1 - p));
    }
}
