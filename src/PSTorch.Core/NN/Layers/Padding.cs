namespace PSTorch.NN;

/// <summary>An int pads every side; a list gives (left, right[, top, bottom]) as F.pad reads it.</summary>
file static class PaddingSides
{
    public static long[] Expand(long[] padding, int sides) => padding.Length == 1 ? Enumerable.Repeat(padding[0], sides).ToArray() : padding;
}

/// <summary>What the padding layers share: the sides, the mode and their repr ("(1, 1)" as PyTorch prints the tuple).</summary>
public abstract class PadLayer : Module
{
    private protected PadLayer(long[] padding, int sides, string mode)
    {
        Padding = PaddingSides.Expand(padding, sides);
        if (Padding.Length != sides) throw new ArgumentException($"{GetType().Name} expects {sides} padding values or one, got {padding.Length}");
        Mode = mode;
    }

    public long[] Padding { get; }
    public string Mode { get; }
    public override Tensor Forward(Tensor input) => Functional.Pad(input, Padding, Mode);
    public override string ExtraRepr() => ConvArguments.Tuple(Padding);
}

/// <summary>What the constant-value padding layers share: the fill value and "padding=(..), value=.." repr.</summary>
public abstract class ConstantPadLayer : PadLayer
{
    private protected ConstantPadLayer(long[] padding, int sides, double value) : base(padding, sides, "constant") => Value = value;

    public double Value { get; }
    public override Tensor Forward(Tensor input) => Functional.Pad(input, Padding, "constant", Value);
    public override string ExtraRepr() => $"padding={ConvArguments.Tuple(Padding)}, value={PythonFormat.Float(Value)}";
}

/// <summary>torch.nn.ConstantPad1d: pads the last dim with value.</summary>
public class ConstantPad1d(long[] padding, double value) : ConstantPadLayer(padding, 2, value)
{
    public ConstantPad1d(long padding, double value) : this([padding], value) { }
}

/// <summary>torch.nn.ConstantPad2d: pads the last two dims with value.</summary>
public class ConstantPad2d(long[] padding, double value) : ConstantPadLayer(padding, 4, value)
{
    public ConstantPad2d(long padding, double value) : this([padding], value) { }
}

/// <summary>torch.nn.ZeroPad2d: pads the last two dims with zeros.</summary>
public class ZeroPad2d(long[] padding) : ConstantPadLayer(padding, 4, 0)
{
    public ZeroPad2d(long padding) : this([padding]) { }
    public override string ExtraRepr() => ConvArguments.Tuple(Padding);
}

/// <summary>torch.nn.ReflectionPad1d: mirrors the last dim about its edges.</summary>
public class ReflectionPad1d(long[] padding) : PadLayer(padding, 2, "reflect")
{
    public ReflectionPad1d(long padding) : this([padding]) { }
}

/// <summary>torch.nn.ReflectionPad2d: mirrors the last two dims about their edges.</summary>
public class ReflectionPad2d(long[] padding) : PadLayer(padding, 4, "reflect")
{
    public ReflectionPad2d(long padding) : this([padding]) { }
}

/// <summary>torch.nn.ReplicationPad1d: repeats the edge values of the last dim.</summary>
public class ReplicationPad1d(long[] padding) : PadLayer(padding, 2, "replicate")
{
    public ReplicationPad1d(long padding) : this([padding]) { }
}

/// <summary>torch.nn.ReplicationPad2d: repeats the edge values of the last two dims.</summary>
public class ReplicationPad2d(long[] padding) : PadLayer(padding, 4, "replicate")
{
    public ReplicationPad2d(long padding) : this([padding]) { }
}
