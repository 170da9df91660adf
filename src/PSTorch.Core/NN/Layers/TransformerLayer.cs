namespace PSTorch.NN;

/// <summary>
/// What TransformerEncoderLayer and TransformerDecoderLayer share: their configuration, its checks, and the
/// feed-forward activation. Each registers its own sub-modules, in the order PyTorch's class does.
/// </summary>
public abstract class TransformerLayer : Module
{
    private protected TransformerLayer(long dModel, long nhead, long dimFeedforward, double dropout, string activation, double layerNormEps,
        bool batchFirst, bool normFirst, bool bias)
    {
        if (activation is not ("relu" or "gelu")) throw new ArgumentException($"activation should be relu/gelu, not {activation}");
        DModel = dModel;
        Nhead = nhead;
        DimFeedforward = dimFeedforward;
        DropoutP = dropout;
        Activation = activation;
        LayerNormEps = layerNormEps;
        BatchFirst = batchFirst;
        NormFirst = normFirst;
        HasBias = bias;
    }

    public long DModel { get; }
    public long Nhead { get; }
    public long DimFeedforward { get; }
    public double DropoutP { get; }
    public string Activation { get; }
    public double LayerNormEps { get; }
    public bool BatchFirst { get; }
    public bool NormFirst { get; }
    public bool HasBias { get; }

    private protected T Register<T>(string name, T module) where T : Module
    {
        RegisterModule(name, module);
        return module;
    }

    /// <summary>The feed-forward block's activation ("relu" or "gelu").</summary>
    private protected Tensor Activate(Tensor hidden) => Activation == "gelu" ? Functional.Gelu(hidden) : Functional.Relu(hidden);
}
