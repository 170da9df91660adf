namespace PSTorch.NN;

/// <summary>Returns its input unchanged.</summary>
public class Identity : Module
{
    public override Tensor Forward(Tensor input) => input;
}

/// <summary>Flattens dims startDim..endDim (default 1..-1, keeping the batch dim).</summary>
public class Flatten(int startDim = 1, int endDim = -1) : Module
{
    public int StartDim { get; } = startDim;
    public int EndDim { get; } = endDim;
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);
    public override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}

/// <summary>Expands dim into the given sizes.</summary>
public class Unflatten(int dim, params long[] unflattenedSize) : Module
{
    public int Dim { get; } = dim;
    public long[] UnflattenedSize { get; } = unflattenedSize;
    public override Tensor Forward(Tensor input) => input.Unflatten(Dim, UnflattenedSize);
    public override string ExtraRepr() => $"dim={Dim}, unflattened_size=({string.Join(", ", UnflattenedSize)})";
}

/// <summary>Randomly zeroes elements with probability p during training (identity in eval mode).</summary>
public class Dropout : Module
{
    public Dropout(double p = 0.5)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        P = p;
    }

    public double P { get; }
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training);
    public override string ExtraRepr() => $"p={P.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture)}, inplace=False";
}
