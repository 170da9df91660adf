using System.Globalization;

namespace PSTorch.NN;

public class ReLU(bool inplace = false) : Module
{
    public bool Inplace { get; } = inplace;
    public override Tensor Forward(Tensor input) => Functional.Relu(input, Inplace);
    public override string ExtraRepr() => Inplace ? "inplace=True" : "";
}

public class LeakyReLU(double negativeSlope = 0.01) : Module
{
    public double NegativeSlope { get; } = negativeSlope;
    public override Tensor Forward(Tensor input) => Functional.LeakyRelu(input, NegativeSlope);
    public override string ExtraRepr() => $"negative_slope={NegativeSlope.ToString(CultureInfo.InvariantCulture)}";
}

public class ELU(double alpha = 1.0) : Module
{
    public double Alpha { get; } = alpha;
    public override Tensor Forward(Tensor input) => Functional.Elu(input, Alpha);
    public override string ExtraRepr() => $"alpha={Alpha.ToString("0.0##", CultureInfo.InvariantCulture)}";
}

public class SiLU : Module
{
    public override Tensor Forward(Tensor input) => Functional.Silu(input);
}

public class Sigmoid : Module
{
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

public class Tanh : Module
{
    public override Tensor Forward(Tensor input) => input.Tanh();
}

public class Softmax(int dim) : Module
{
    public int Dim { get; } = dim;
    public override Tensor Forward(Tensor input) => input.Softmax(Dim);
    public override string ExtraRepr() => $"dim={Dim}";
}

public class LogSoftmax(int dim) : Module
{
    public int Dim { get; } = dim;
    public override Tensor Forward(Tensor input) => input.LogSoftmax(Dim);
    public override string ExtraRepr() => $"dim={Dim}";
}
