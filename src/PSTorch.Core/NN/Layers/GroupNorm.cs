namespace PSTorch.NN;

/// <summary>torch.nn.GroupNorm: normalises groups of channels per sample; weight ones and bias zeros per channel when affine.</summary>
public class GroupNorm : Module
{
    public GroupNorm(long numGroups, long numChannels, double eps = 1e-5, bool affine = true, DType? dtype = null, Device? device = null)
    {
        if (numGroups <= 0 || numChannels % numGroups != 0) throw new ArgumentException("num_channels must be divisible by num_groups");
        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        Affine = affine;
        if (affine)
        {
            Weight = new Parameter(Torch.Ones([numChannels], dtype, device));
            Bias = new Parameter(Torch.Zeros([numChannels], dtype, device));
            RegisterParameter("weight", Weight);
            RegisterParameter("bias", Bias);
        }
    }

    public long NumGroups { get; }
    public long NumChannels { get; }
    public double Eps { get; }
    public bool Affine { get; }
    public Parameter? Weight { get; }
    public Parameter? Bias { get; }

    public override Tensor Forward(Tensor input) => Functional.GroupNorm(input, NumGroups, Weight, Bias, Eps);

    public override string ExtraRepr() => $"{NumGroups}, {NumChannels}, eps={PythonFormat.Float(Eps)}, affine={PythonFormat.Bool(Affine)}";
}
