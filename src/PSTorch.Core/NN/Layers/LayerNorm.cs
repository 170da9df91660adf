namespace PSTorch.NN;

/// <summary>torch.nn.LayerNorm: normalises each sample over its last dims (normalized_shape); weight ones, bias zeros.</summary>
public class LayerNorm : Module
{
    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true, DType? dtype = null, Device? device = null)
    {
        NormalizedShape = normalizedShape;
        Eps = eps;
        ElementwiseAffine = elementwiseAffine;
        if (elementwiseAffine)
        {
            Weight = new Parameter(Torch.Ones(normalizedShape, dtype, device));
            RegisterParameter("weight", Weight);
            if (bias)
            {
                Bias = new Parameter(Torch.Zeros(normalizedShape, dtype, device));
                RegisterParameter("bias", Bias);
            }
        }
    }

    public LayerNorm(long normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true, DType? dtype = null, Device? device = null)
        : this([normalizedShape], eps, elementwiseAffine, bias, dtype, device) { }

    public long[] NormalizedShape { get; }
    public double Eps { get; }
    public bool ElementwiseAffine { get; }
    public Parameter? Weight { get; }
    public Parameter? Bias { get; }

    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, NormalizedShape, Weight, Bias, Eps);

    public override string ExtraRepr() =>
        $"{ConvArguments.Tuple(NormalizedShape)}, eps={PythonFormat.Float(Eps)}, elementwise_affine={PythonFormat.Bool(ElementwiseAffine)}";
}
