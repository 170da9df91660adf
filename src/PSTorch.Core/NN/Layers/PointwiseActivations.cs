namespace PSTorch.NN;

/// <summary>", inplace=True" as PyTorch's activation reprs append it (nothing when false).</summary>
file static class InplaceRepr
{
    public static string Suffix(bool inplace) => inplace ? ", inplace=True" : "";
    public static string Alone(bool inplace) => inplace ? "inplace=True" : "";
}

/// <summary>torch.nn.Softplus: log(1 + exp(beta * x)) / beta, x where beta * x > threshold.</summary>
public class Softplus(double beta = 1.0, double threshold = 20.0) : Module
{
    public double Beta { get; } = beta;
    public double Threshold { get; } = threshold;
    public override Tensor Forward(Tensor input) => Functional.Softplus(input, Beta, Threshold);
    public override string ExtraRepr() => $"beta={PythonFormat.Float(Beta)}, threshold={PythonFormat.Float(Threshold)}";
}

/// <summary>torch.nn.LogSigmoid.</summary>
public class LogSigmoid : Module
{
    public override Tensor Forward(Tensor input) => Functional.LogSigmoid(input);
}

/// <summary>torch.nn.Hardtanh: x clamped to [min_val, max_val].</summary>
public class Hardtanh : Module
{
    public Hardtanh(double minVal = -1.0, double maxVal = 1.0, bool inplace = false)
    {
        if (maxVal <= minVal) throw new ArgumentException("max_val must be larger than min_val");
        MinVal = minVal;
        MaxVal = maxVal;
        Inplace = inplace;
    }

    public double MinVal { get; }
    public double MaxVal { get; }
    public bool Inplace { get; }
    public override Tensor Forward(Tensor input) => Functional.Hardtanh(input, MinVal, MaxVal, Inplace);
    public override string ExtraRepr() => $"min_val={PythonFormat.Float(MinVal)}, max_val={PythonFormat.Float(MaxVal)}{InplaceRepr.Suffix(Inplace)}";
}

/// <summary>torch.nn.ReLU6: x clamped to [0, 6].</summary>
public class ReLU6(bool inplace = false) : Hardtanh(0, 6, inplace)
{
    public override string ExtraRepr() => InplaceRepr.Alone(Inplace);
}

/// <summary>torch.nn.PReLU: a learnt negative slope, one (num_parameters=1) or one per channel, initialised to init.</summary>
public class PReLU : Module
{
    public PReLU(long numParameters = 1, double init = 0.25, DType? dtype = null, Device? device = null)
    {
        NumParameters = numParameters;
        Init = init;
        Weight = new Parameter(Torch.Full([numParameters], init, dtype, device));
        RegisterParameter("weight", Weight);
    }

    public long NumParameters { get; }
    public double Init { get; }
    public Parameter Weight { get; }

    public void ResetParameters() => NN.Init.Constant_(Weight, Init);

    public override Tensor Forward(Tensor input) => Functional.Prelu(input, Weight);
    public override string ExtraRepr() => $"num_parameters={NumParameters}";
}

/// <summary>torch.nn.SELU: scale * elu(x, alpha) with the self-normalising constants.</summary>
public class SELU(bool inplace = false) : Module
{
    public bool Inplace { get; } = inplace;
    public override Tensor Forward(Tensor input) => Functional.Selu(input, Inplace);
    public override string ExtraRepr() => InplaceRepr.Alone(Inplace);
}

/// <summary>torch.nn.CELU: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).</summary>
public class CELU(double alpha = 1.0, bool inplace = false) : Module
{
    public double Alpha { get; } = alpha;
    public bool Inplace { get; } = inplace;
    public override Tensor Forward(Tensor input) => Functional.Celu(input, Alpha, Inplace);
    public override string ExtraRepr() => $"alpha={PythonFormat.Float(Alpha)}{InplaceRepr.Suffix(Inplace)}";
}

/// <summary>torch.nn.Mish: x * tanh(softplus(x)).</summary>
public class Mish(bool inplace = false) : Module
{
    public bool Inplace { get; } = inplace;
    public override Tensor Forward(Tensor input) => Functional.Mish(input, Inplace);
    public override string ExtraRepr() => InplaceRepr.Alone(Inplace);
}

/// <summary>torch.nn.Hardswish: x * relu6(x + 3) / 6.</summary>
public class Hardswish(bool inplace = false) : Module
{
    public bool Inplace { get; } = inplace;
    public override Tensor Forward(Tensor input) => Functional.Hardswish(input, Inplace);
}

/// <summary>torch.nn.Hardsigmoid: relu6(x + 3) / 6.</summary>
public class Hardsigmoid(bool inplace = false) : Module
{
    public bool Inplace { get; } = inplace;
    public override Tensor Forward(Tensor input) => Functional.Hardsigmoid(input, Inplace);
}

/// <summary>torch.nn.Softsign: x / (1 + |x|).</summary>
public class Softsign : Module
{
    public override Tensor Forward(Tensor input) => Functional.Softsign(input);
}

/// <summary>torch.nn.Tanhshrink: x - tanh(x).</summary>
public class Tanhshrink : Module
{
    public override Tensor Forward(Tensor input) => Functional.Tanhshrink(input);
}

/// <summary>torch.nn.Hardshrink: x where |x| > lambd, else 0.</summary>
public class Hardshrink(double lambd = 0.5) : Module
{
    public double Lambd { get; } = lambd;
    public override Tensor Forward(Tensor input) => Functional.Hardshrink(input, Lambd);
    public override string ExtraRepr() => PythonFormat.Float(Lambd);
}

/// <summary>torch.nn.Softshrink: x shrunk towards 0 by lambd, 0 within [-lambd, lambd].</summary>
public class Softshrink(double lambd = 0.5) : Module
{
    public double Lambd { get; } = lambd;
    public override Tensor Forward(Tensor input) => Functional.Softshrink(input, Lambd);
    public override string ExtraRepr() => PythonFormat.Float(Lambd);
}

/// <summary>torch.nn.Threshold: x where x > threshold, value elsewhere.</summary>
public class Threshold(double threshold, double value, bool inplace = false) : Module
{
    public double ThresholdValue { get; } = threshold;
    public double Value { get; } = value;
    public bool Inplace { get; } = inplace;
    public override Tensor Forward(Tensor input) => Functional.Threshold(input, ThresholdValue, Value, Inplace);
    public override string ExtraRepr() => $"threshold={PythonFormat.Float(ThresholdValue)}, value={PythonFormat.Float(Value)}{InplaceRepr.Suffix(Inplace)}";
}

/// <summary>torch.nn.GLU: first half of dim times the sigmoid of the second half.</summary>
public class GLU(int dim = -1) : Module
{
    public int Dim { get; } = dim;
    public override Tensor Forward(Tensor input) => Functional.Glu(input, Dim);
    public override string ExtraRepr() => $"dim={Dim}";
}

/// <summary>torch.nn.Softmin: softmax(-x) along dim.</summary>
public class Softmin(int dim) : Module
{
    public int Dim { get; } = dim;
    public override Tensor Forward(Tensor input) => Functional.Softmin(input, Dim);
    public override string ExtraRepr() => $"dim={Dim}";
}
