namespace PSTorch.NN;

/// <summary>torch.nn.Upsample: Functional.Interpolate to size or by scale_factor with mode "nearest", "linear" or "bilinear".</summary>
public class Upsample : Module
{
    public Upsample(long[]? size = null, double[]? scaleFactor = null, string mode = "nearest", bool? alignCorners = null)
    {
        if (size != null && scaleFactor != null) throw new ArgumentException("only one of size or scale_factor should be defined");
        Size = size;
        ScaleFactor = scaleFactor;
        Mode = mode;
        AlignCorners = alignCorners;
    }

    public Upsample(long size, string mode = "nearest", bool? alignCorners = null) : this([size], null, mode, alignCorners) { }

    public Upsample(double scaleFactor, string mode = "nearest", bool? alignCorners = null) : this(null, [scaleFactor], mode, alignCorners) { }

    public long[]? Size { get; }
    public double[]? ScaleFactor { get; }
    public string Mode { get; }
    public bool? AlignCorners { get; }

    public override Tensor Forward(Tensor input) => Functional.Interpolate(input, Size, ScaleFactor, Mode, AlignCorners);

    public override string ExtraRepr()
    {
        string what = ScaleFactor != null
            ? "scale_factor=" + (ScaleFactor.Length == 1 ? PythonFormat.Float(ScaleFactor[0]) : $"({string.Join(", ", ScaleFactor.Select(PythonFormat.Float))})")
            : "size=" + (Size!.Length == 1 ? Size[0].ToString() : ConvArguments.Tuple(Size));
        return $"{what}, mode='{Mode}'";
    }
}
