namespace PSTorch.NN;

/// <summary>
/// torch.nn.TransformerDecoderLayer: self-attention over tgt, attention from tgt over memory, then a feed-forward block
/// (linear1, activation, dropout, linear2), each added to its input and layer-normalised after (post-norm) or normalised
/// before (norm_first). Sub-modules and their names are PyTorch's (self_attn, multihead_attn, linear1, dropout, linear2,
/// norm1, norm2, norm3, dropout1, dropout2, dropout3), so state_dict keys match.
/// </summary>
public class TransformerDecoderLayer : TransformerLayer
{
    public TransformerDecoderLayer(long dModel, long nhead, long dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, bool bias = true, DType? dtype = null, Device? device = null)
        : base(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, bias)
    {
        SelfAttn = Register("self_attn", new MultiheadAttention(dModel, nhead, dropout, bias, batchFirst: batchFirst, dtype: dtype, device: device));
        MultiheadAttn = Register("multihead_attn", new MultiheadAttention(dModel, nhead, dropout, bias, batchFirst: batchFirst, dtype: dtype, device: device));
        Linear1 = Register("linear1", new Linear(dModel, dimFeedforward, bias, dtype, device));
        Dropout = Register("dropout", new Dropout(dropout));
        Linear2 = Register("linear2", new Linear(dimFeedforward, dModel, bias, dtype, device));
        Norm1 = Register("norm1", new LayerNorm(dModel, layerNormEps, bias: bias, dtype: dtype, device: device));
        Norm2 = Register("norm2", new LayerNorm(dModel, layerNormEps, bias: bias, dtype: dtype, device: device));
        Norm3 = Register("norm3", new LayerNorm(dModel, layerNormEps, bias: bias, dtype: dtype, device: device));
        Dropout1 = Register("dropout1", new Dropout(dropout));
        Dropout2 = Register("dropout2", new Dropout(dropout));
        Dropout3 = Register("dropout3", new Dropout(dropout));
    }

    public MultiheadAttention SelfAttn { get; }
    public MultiheadAttention MultiheadAttn { get; }
    public Linear Linear1 { get; }
    public Dropout Dropout { get; }
    public Linear Linear2 { get; }
    public LayerNorm Norm1 { get; }
    public LayerNorm Norm2 { get; }
    public LayerNorm Norm3 { get; }
    public Dropout Dropout1 { get; }
    public Dropout Dropout2 { get; }
    public Dropout Dropout3 { get; }

    /// <summary>
    /// One decoder layer over tgt (T, batch, d_model) and the encoder's memory (S, batch, d_model), or batch first.
    /// tgtMask (T, T) and memoryMask (T, S) are MultiheadAttention's attn_mask, the key padding masks (N, T) and (N, S)
    /// its key_padding_mask (true masks out); the is-causal flags say the matching mask is the causal mask.
    /// </summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
        Tensor? memoryKeyPaddingMask = null, bool tgtIsCausal = false, bool memoryIsCausal = false)
    {
        var x = tgt;
        if (NormFirst)
        {
            x = x + SelfAttention(Norm1.Forward(x), tgtMask, tgtKeyPaddingMask, tgtIsCausal);
            x = x + MemoryAttention(Norm2.Forward(x), memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal);
            return x + FeedForward(Norm3.Forward(x));
        }
        x = Norm1.Forward(x + SelfAttention(x, tgtMask, tgtKeyPaddingMask, tgtIsCausal));
        x = Norm2.Forward(x + MemoryAttention(x, memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal));
        return Norm3.Forward(x + FeedForward(x));
    }

    /// <summary>The decoder needs memory besides tgt; PyTorch's error for a call without it.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new ArgumentException("TransformerDecoderLayer.forward() missing 1 required positional argument: 'memory'");

    public Tensor Call(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
        Tensor? memoryKeyPaddingMask = null, bool tgtIsCausal = false, bool memoryIsCausal = false) =>
        Forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal);

    Tensor SelfAttention(Tensor x, Tensor? mask, Tensor? keyPaddingMask, bool isCausal) =>
        Dropout1.Forward(SelfAttn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: mask, isCausal: isCausal).AttnOutput);

    Tensor MemoryAttention(Tensor x, Tensor memory, Tensor? mask, Tensor? keyPaddingMask, bool isCausal) =>
        Dropout2.Forward(MultiheadAttn.Forward(x, memory, memory, keyPaddingMask, needWeights: false, attnMask: mask, isCausal: isCausal).AttnOutput);

    Tensor FeedForward(Tensor x)
    {
        var hidden = Linear1.Forward(x);
        hidden = Activate(hidden);
        return Dropout3.Forward(Linear2.Forward(Dropout.Forward(hidden)));
    }

    /// <summary>A layer with this one's configuration, parameters and mode (PyTorch's copy.deepcopy of it).</summary>
    internal TransformerDecoderLayer Copy()
    {
        var copy = new TransformerDecoderLayer(DModel, Nhead, DimFeedforward, DropoutP, Activation, LayerNormEps, BatchFirst, NormFirst, HasBias,
            SelfAttn.InProjWeight!.DType, SelfAttn.InProjWeight.Device);
        copy.LoadStateDict(StateDict());
        copy.Train(Training);
        return copy;
    }
}

/// <summary>
/// torch.nn.TransformerDecoder: num_layers copies of decoder_layer (same initial parameters, as PyTorch's deepcopy) in
/// a ModuleList named layers, then an optional norm.
/// </summary>
public class TransformerDecoder(TransformerDecoderLayer decoderLayer, long numLayers, Module? norm = null) : TransformerStack(decoderLayer.Copy, numLayers, norm)
{
    /// <summary>tgt through every layer with the same memory and masks, then norm.</summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
        Tensor? memoryKeyPaddingMask = null, bool tgtIsCausal = false, bool memoryIsCausal = false)
    {
        var output = tgt;
        for (int i = 0; i < Layers.Count; i++)
            output = ((TransformerDecoderLayer)Layers[i]).Forward(output, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal);
        return Norm != null ? Norm.Forward(output) : output;
    }

    /// <summary>The decoder needs memory besides tgt; PyTorch's error for a call without it.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new ArgumentException("TransformerDecoder.forward() missing 1 required positional argument: 'memory'");

    public Tensor Call(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
        Tensor? memoryKeyPaddingMask = null, bool tgtIsCausal = false, bool memoryIsCausal = false) =>
        Forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal);
}
