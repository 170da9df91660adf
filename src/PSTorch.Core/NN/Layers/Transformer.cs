namespace PSTorch.NN;

/// <summary>
/// torch.nn.TransformerEncoderLayer: self-attention then a feed-forward block (linear1, activation, dropout, linear2),
/// each added to its input and layer-normalised after (post-norm) or normalised before (norm_first). Sub-modules and
/// their names are PyTorch's (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2), so state_dict keys match.
/// </summary>
public class TransformerEncoderLayer : TransformerLayer
{
    public TransformerEncoderLayer(long dModel, long nhead, long dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, bool bias = true, DType? dtype = null, Device? device = null)
        : base(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, bias)
    {
        SelfAttn = Register("self_attn", new MultiheadAttention(dModel, nhead, dropout, bias, batchFirst: batchFirst, dtype: dtype, device: device));
        Linear1 = Register("linear1", new Linear(dModel, dimFeedforward, bias, dtype, device));
        Dropout = Register("dropout", new Dropout(dropout));
        Linear2 = Register("linear2", new Linear(dimFeedforward, dModel, bias, dtype, device));
        Norm1 = Register("norm1", new LayerNorm(dModel, layerNormEps, bias: bias, dtype: dtype, device: device));
        Norm2 = Register("norm2", new LayerNorm(dModel, layerNormEps, bias: bias, dtype: dtype, device: device));
        Dropout1 = Register("dropout1", new Dropout(dropout));
        Dropout2 = Register("dropout2", new Dropout(dropout));
    }

    public MultiheadAttention SelfAttn { get; }
    public Linear Linear1 { get; }
    public Dropout Dropout { get; }
    public Linear Linear2 { get; }
    public LayerNorm Norm1 { get; }
    public LayerNorm Norm2 { get; }
    public Dropout Dropout1 { get; }
    public Dropout Dropout2 { get; }

    /// <summary>
    /// One encoder layer over src (seq, batch, d_model) or (batch, seq, d_model) with batch_first. srcMask (L, L) or
    /// (N * nhead, L, L) and srcKeyPaddingMask (N, L) are MultiheadAttention's attn_mask and key_padding_mask (true masks out);
    /// isCausal says srcMask is the causal mask.
    /// </summary>
    public Tensor Forward(Tensor src, Tensor? srcMask, Tensor? srcKeyPaddingMask = null, bool isCausal = false)
    {
        var x = src;
        if (NormFirst)
        {
            x = x + SelfAttention(Norm1.Forward(x), srcMask, srcKeyPaddingMask, isCausal);
            return x + FeedForward(Norm2.Forward(x));
        }
        x = Norm1.Forward(x + SelfAttention(x, srcMask, srcKeyPaddingMask, isCausal));
        return Norm2.Forward(x + FeedForward(x));
    }

    public override Tensor Forward(Tensor input) => Forward(input, null);

    public Tensor Call(Tensor src, Tensor? srcMask, Tensor? srcKeyPaddingMask = null, bool isCausal = false) =>
        Forward(src, srcMask, srcKeyPaddingMask, isCausal);

    Tensor SelfAttention(Tensor x, Tensor? mask, Tensor? keyPaddingMask, bool isCausal) =>
        Dropout1.Forward(SelfAttn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: mask, isCausal: isCausal).AttnOutput);

    Tensor FeedForward(Tensor x)
    {
        var hidden = Linear1.Forward(x);
        hidden = Activate(hidden);
        return Dropout2.Forward(Linear2.Forward(Dropout.Forward(hidden)));
    }

    /// <summary>A layer with this one's configuration, parameters and mode (PyTorch's copy.deepcopy of it).</summary>
    internal TransformerEncoderLayer Copy()
    {
        var copy = new TransformerEncoderLayer(DModel, Nhead, DimFeedforward, DropoutP, Activation, LayerNormEps, BatchFirst, NormFirst, HasBias,
            SelfAttn.InProjWeight!.DType, SelfAttn.InProjWeight.Device);
        copy.LoadStateDict(StateDict());
        copy.Train(Training);
        return copy;
    }
}

/// <summary>
/// torch.nn.TransformerEncoder: num_layers copies of encoder_layer (same initial parameters, as PyTorch's deepcopy) in
/// a ModuleList named layers, then an optional norm.
/// </summary>
public class TransformerEncoder(TransformerEncoderLayer encoderLayer, long numLayers, Module? norm = null) : TransformerStack(encoderLayer.Copy, numLayers, norm)
{
    /// <summary>src through every layer with the same mask and key padding mask, then norm.</summary>
    public Tensor Forward(Tensor src, Tensor? mask, Tensor? srcKeyPaddingMask = null, bool isCausal = false)
    {
        var output = src;
        for (int i = 0; i < Layers.Count; i++) output = ((TransformerEncoderLayer)Layers[i]).Forward(output, mask, srcKeyPaddingMask, isCausal);
        return Norm != null ? Norm.Forward(output) : output;
    }

    public override Tensor Forward(Tensor input) => Forward(input, null);

    public Tensor Call(Tensor src, Tensor? mask, Tensor? srcKeyPaddingMask = null, bool isCausal = false) => Forward(src, mask, srcKeyPaddingMask, isCausal);
}

/// <summary>
/// torch.nn.Transformer: an encoder (num_encoder_layers encoder layers and a final LayerNorm) over src whose output is
/// the memory a decoder (num_decoder_layers decoder layers and a final LayerNorm) attends to from tgt. Every parameter
/// with more than one dimension is then re-drawn xavier_uniform, as PyTorch's _reset_parameters.
/// </summary>
public class Transformer : Module
{
    public Transformer(long dModel = 512, long nhead = 8, long numEncoderLayers = 6, long numDecoderLayers = 6, long dimFeedforward = 2048,
        double dropout = 0.1, string activation = "relu", double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false,
        bool bias = true, DType? dtype = null, Device? device = null)
    {
        var encoderLayer = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, bias, dtype, device);
        Encoder = new TransformerEncoder(encoderLayer, numEncoderLayers, new LayerNorm(dModel, layerNormEps, bias: bias, dtype: dtype, device: device));
        RegisterModule("encoder", Encoder);
        var decoderLayer = new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, bias, dtype, device);
        Decoder = new TransformerDecoder(decoderLayer, numDecoderLayers, new LayerNorm(dModel, layerNormEps, bias: bias, dtype: dtype, device: device));
        RegisterModule("decoder", Decoder);
        foreach (var p in Parameters())
            if (p.NDim > 1) Init.XavierUniform_(p);
        DModel = dModel;
        Nhead = nhead;
        BatchFirst = batchFirst;
    }

    public TransformerEncoder Encoder { get; }
    public TransformerDecoder Decoder { get; }
    public long DModel { get; }
    public long Nhead { get; }
    public bool BatchFirst { get; }

    /// <summary>
    /// src (S, N, E) through the encoder, then tgt (T, N, E) through the decoder attending to the encoder's output (batch
    /// first with batch_first; unbatched (S, E) and (T, E) too). Masks as the encoder's and decoder's layers take them.
    /// </summary>
    public Tensor Forward(Tensor src, Tensor tgt, Tensor? srcMask = null, Tensor? tgtMask = null, Tensor? memoryMask = null,
        Tensor? srcKeyPaddingMask = null, Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null,
        bool srcIsCausal = false, bool tgtIsCausal = false, bool memoryIsCausal = false)
    {
        if (src.NDim == 3 && src.Size(BatchFirst ? 0 : 1) != tgt.Size(BatchFirst ? 0 : 1))
            throw new ArgumentException("the batch number of src and tgt must be equal");
        if (src.Size(-1) != DModel || tgt.Size(-1) != DModel)
            throw new ArgumentException("the feature number of src and tgt must be equal to d_model");
        var memory = Encoder.Forward(src, srcMask, srcKeyPaddingMask, srcIsCausal);
        return Decoder.Forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal);
    }

    /// <summary>The transformer needs tgt besides src; PyTorch's error for a call without it.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new ArgumentException("Transformer.forward() missing 1 required positional argument: 'tgt'");

    public Tensor Call(Tensor src, Tensor tgt, Tensor? srcMask = null, Tensor? tgtMask = null, Tensor? memoryMask = null,
        Tensor? srcKeyPaddingMask = null, Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null,
        bool srcIsCausal = false, bool tgtIsCausal = false, bool memoryIsCausal = false) =>
        Forward(src, tgt, srcMask, tgtMask, memoryMask, srcKeyPaddingMask, tgtKeyPaddingMask, memoryKeyPaddingMask, srcIsCausal, tgtIsCausal, memoryIsCausal);

    /// <summary>
    /// [sz, sz] float mask for causal attention (torch.nn.Transformer.generate_square_subsequent_mask): -inf above the
    /// diagonal (the later positions a query may not see), 0 on and below it; float32 on the CPU unless given.
    /// </summary>
    public static Tensor GenerateSquareSubsequentMask(long sz, Device? device = null, DType? dtype = null) =>
        Torch.Full([sz, sz], double.NegativeInfinity, dtype ?? DType.Float32, device ?? Device.Cpu).Triu(1);
}
