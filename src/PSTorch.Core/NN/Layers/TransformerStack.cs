namespace PSTorch.NN;

/// <summary>
/// What TransformerEncoder and TransformerDecoder share: num_layers copies of one layer (same initial parameters, as
/// PyTorch's deepcopy) in a ModuleList named layers, then an optional norm.
/// </summary>
public abstract class TransformerStack : Module
{
    private protected TransformerStack(Func<Module> copyOfLayer, long numLayers, Module? norm)
    {
        if (numLayers <= 0) throw new ArgumentException("num_layers must be greater than zero");
        Layers = new ModuleList(Enumerable.Range(0, (int)numLayers).Select(_ => copyOfLayer()).ToArray());
        RegisterModule("layers", Layers);
        NumLayers = numLayers;
        Norm = norm;
        if (norm != null) RegisterModule("norm", norm);
    }

    public ModuleList Layers { get; }
    public long NumLayers { get; }
    public Module? Norm { get; }
}
