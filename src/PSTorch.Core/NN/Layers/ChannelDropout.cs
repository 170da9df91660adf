namespace PSTorch.NN;

/// <summary>torch.nn.Dropout1d: drops whole channels of [N, C, L] or [C, L] in training.</summary>
public class Dropout1d : Module
{
    public Dropout1d(double p = 0.5)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        P = p;
    }

    public double P { get; }
    public override Tensor Forward(Tensor input) => Functional.Dropout1d(input, P, Training);
    public override string ExtraRepr() => $"p={PythonFormat.Float(P)}, inplace=False";
}

/// <summary>torch.nn.Dropout2d: drops whole channels of [N, C, H, W] or [C, H, W] in training.</summary>
public class Dropout2d : Module
{
    public Dropout2d(double p = 0.5)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        P = p;
    }

    public double P { get; }
    public override Tensor Forward(Tensor input) => Functional.Dropout2d(input, P, Training);
    public override string ExtraRepr() => $"p={PythonFormat.Float(P)}, inplace=False";
}
