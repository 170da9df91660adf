namespace PSTorch.NN;

/// <summary>What MultiheadAttention returns: attn_output and attn_weights (null when need_weights is false).</summary>
public sealed record AttentionOutput(Tensor AttnOutput, Tensor? AttnWeights);

/// <summary>MultiheadAttention's output projection under PyTorch's class name, so the module's repr and type match PyTorch's.</summary>
public class NonDynamicallyQuantizableLinear(long inFeatures, long outFeatures, bool bias = true, DType? dtype = null, Device? device = null)
    : Linear(inFeatures, outFeatures, bias, dtype, device);

/// <summary>
/// torch.nn.MultiheadAttention: num_heads attention heads over embed_dim / num_heads features each. Inputs are
/// (L, N, E) (or (N, L, E) with batch_first, or unbatched (L, E)). Parameters as PyTorch's: in_proj_weight [3E, E]
/// (q_proj_weight, k_proj_weight, v_proj_weight when kdim or vdim differ from embed_dim), in_proj_bias [3E] and
/// out_proj; projections xavier_uniform, biases zero. add_bias_kv and add_zero_attn are not supported.
/// </summary>
public class MultiheadAttention : Module
{
    public MultiheadAttention(long embedDim, long numHeads, double dropout = 0, bool bias = true, long? kdim = null, long? vdim = null,
        bool batchFirst = false, DType? dtype = null, Device? device = null)
    {
        if (embedDim <= 0 || numHeads <= 0)
            throw new ArgumentException($"embed_dim and num_heads must be greater than 0, got embed_dim={embedDim} and num_heads={numHeads} instead");
        if (embedDim % numHeads != 0) throw new ArgumentException("embed_dim must be divisible by num_heads");
        EmbedDim = embedDim;
        NumHeads = numHeads;
        Dropout = dropout;
        Kdim = kdim ?? embedDim;
        Vdim = vdim ?? embedDim;
        BatchFirst = batchFirst;
        Parameter Add(string name, long[] shape)
        {
            var p = new Parameter(Torch.Empty(shape, dtype, device));
            RegisterParameter(name, p);
            return p;
        }
        if (QkvSameEmbedDim) InProjWeight = Add("in_proj_weight", [3 * embedDim, embedDim]);
        else
        {
            QProjWeight = Add("q_proj_weight", [embedDim, embedDim]);
            KProjWeight = Add("k_proj_weight", [embedDim, Kdim]);
            VProjWeight = Add("v_proj_weight", [embedDim, Vdim]);
        }
        if (bias) InProjBias = Add("in_proj_bias", [3 * embedDim]);
        OutProj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, bias, dtype, device);
        RegisterModule("out_proj", OutProj);
        ResetParameters();
    }

    public long EmbedDim { get; }
    public long NumHeads { get; }
    public double Dropout { get; }
    public long Kdim { get; }
    public long Vdim { get; }
    public bool BatchFirst { get; }
    public long HeadDim => EmbedDim / NumHeads;
    public bool QkvSameEmbedDim => Kdim == EmbedDim && Vdim == EmbedDim;
    public Parameter? InProjWeight { get; }
    public Parameter? QProjWeight { get; }
    public Parameter? KProjWeight { get; }
    public Parameter? VProjWeight { get; }
    public Parameter? InProjBias { get; }
    public NonDynamicallyQuantizableLinear OutProj { get; }

    /// <summary>PyTorch's _reset_parameters: xavier_uniform projections, zero in_proj_bias and out_proj.bias (out_proj.weight keeps Linear's init).</summary>
    public void ResetParameters()
    {
        foreach (var w in new[] { InProjWeight, QProjWeight, KProjWeight, VProjWeight })
            if (w != null) Init.XavierUniform_(w);
        if (InProjBias != null) Init.Zeros_(InProjBias);
        if (OutProj.Bias != null) Init.Zeros_(OutProj.Bias);
    }

    /// <summary>
    /// Attention of query over key/value. keyPaddingMask (N, S): true (or -inf) for keys to ignore; attnMask (L, S) or
    /// (N * num_heads, L, S): true for positions not allowed, or a float mask added to the scores. isCausal only says
    /// attnMask is the causal mask. Weights are (N, L, S) averaged over heads, or (N, num_heads, L, S).
    /// </summary>
    public AttentionOutput Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null, bool needWeights = true,
        Tensor? attnMask = null, bool averageAttnWeights = true, bool isCausal = false)
    {
        if (query.NDim is not (2 or 3)) throw new ArgumentException($"query should be unbatched 2D or batched 3D tensor but received {query.NDim}-D query tensor");
        bool batched = query.NDim == 3;
        if (key.NDim != query.NDim || value.NDim != query.NDim)
            throw new ArgumentException($"For {(batched ? "batched (3-D)" : "unbatched (2-D)")} `query`, expected `key` and `value` to be {query.NDim}-D but found {key.NDim}-D and {value.NDim}-D tensors respectively");
        if (isCausal && attnMask == null)
            throw new ArgumentException("Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask.");
        if (!batched)
        {
            (query, key, value) = (query.Unsqueeze(1), key.Unsqueeze(1), value.Unsqueeze(1));
            keyPaddingMask = keyPaddingMask?.Unsqueeze(0);
        }
        else if (BatchFirst) (query, key, value) = (query.Transpose(0, 1), key.Transpose(0, 1), value.Transpose(0, 1));

        long targetLength = query.Size(0), batch = query.Size(1), sourceLength = key.Size(0);
        if (query.Size(2) != EmbedDim) throw new ArgumentException($"was expecting embedding dimension of {EmbedDim}, but got {query.Size(2)}");
        if (key.Size(0) != value.Size(0) || key.Size(1) != value.Size(1))
            throw new ArgumentException($"key shape {Shapes.Format(key.ShapeRef)} does not match value shape {Shapes.Format(value.ShapeRef)}");
        var mask = CombinedMask(attnMask, keyPaddingMask, batch, targetLength, sourceLength, query.DType);

        var (q, k, v) = Project(query, key, value);
        // [len, N, E] -> [N * heads, len, head_dim]
        Tensor Heads(Tensor t) => t.Reshape(t.Size(0), batch * NumHeads, HeadDim).Transpose(0, 1);
        var weights = Functional.AttentionWeights(Heads(q), Heads(k), mask, 1 / Math.Sqrt(HeadDim));
        weights = Functional.Dropout(weights, Dropout, Training);
        var heads = weights.MatMul(Heads(v));
        var output = OutProj.Forward(heads.Transpose(0, 1).Reshape(targetLength * batch, EmbedDim)).View(targetLength, batch, EmbedDim);

        Tensor? attnWeights = null;
        if (needWeights)
        {
            attnWeights = weights.View(batch, NumHeads, targetLength, sourceLength);
            if (averageAttnWeights) attnWeights = attnWeights.Mean(1);
            if (!batched) attnWeights = attnWeights.Squeeze(0);
        }
        if (!batched) output = output.Squeeze(1);
        else if (BatchFirst) output = output.Transpose(0, 1);
        return new AttentionOutput(output, attnWeights);
    }

    /// <summary>Self-attention's output, so the layer works where one tensor is expected (Sequential).</summary>
    public override Tensor Forward(Tensor input) => Forward(input, input, input, needWeights: false).AttnOutput;

    /// <summary>Self-attention of <paramref name="input"/>: (attn_output, attn_weights averaged over heads).</summary>
    public new AttentionOutput Call(Tensor input) => Forward(input, input, input);

    public AttentionOutput Call(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null, bool needWeights = true,
        Tensor? attnMask = null, bool averageAttnWeights = true, bool isCausal = false) =>
        Forward(query, key, value, keyPaddingMask, needWeights, attnMask, averageAttnWeights, isCausal);

    (Tensor Q, Tensor K, Tensor V) Project(Tensor query, Tensor key, Tensor value)
    {
        var biases = InProjBias?.Chunk(3);
        if (InProjWeight != null)
        {
            var w = InProjWeight.Chunk(3);
            return (Functional.Linear(query, w[0], biases?[0]), Functional.Linear(key, w[1], biases?[1]), Functional.Linear(value, w[2], biases?[2]));
        }
        return (Functional.Linear(query, QProjWeight!, biases?[0]), Functional.Linear(key, KProjWeight!, biases?[1]), Functional.Linear(value, VProjWeight!, biases?[2]));
    }

    /// <summary>attn_mask and key_padding_mask as one float mask added to the scores [N * heads or 1, L, S] (-inf where masked out).</summary>
    Tensor? CombinedMask(Tensor? attnMask, Tensor? keyPaddingMask, long batch, long targetLength, long sourceLength, DType dtype)
    {
        Tensor? mask = null;
        if (attnMask != null)
        {
            mask = Additive(attnMask, "attn_mask", dtype);
            if (mask.NDim == 2)
            {
                if (mask.Size(0) != targetLength || mask.Size(1) != sourceLength)
                    throw new ArgumentException($"The shape of the 2D attn_mask is torch.Size({Shapes.Format(mask.ShapeRef)}), but should be ({targetLength}, {sourceLength}).");
                mask = mask.Unsqueeze(0);
            }
            else if (mask.NDim == 3)
            {
                if (mask.Size(0) != batch * NumHeads || mask.Size(1) != targetLength || mask.Size(2) != sourceLength)
                    throw new ArgumentException($"The shape of the 3D attn_mask is torch.Size({Shapes.Format(mask.ShapeRef)}), but should be ({batch * NumHeads}, {targetLength}, {sourceLength}).");
            }
            else throw new ArgumentException($"attn_mask's dimension {mask.NDim} is not supported");
        }
        if (keyPaddingMask != null)
        {
            if (keyPaddingMask.NDim != 2 || keyPaddingMask.Size(0) != batch || keyPaddingMask.Size(1) != sourceLength)
                throw new ArgumentException($"expecting key_padding_mask shape of ({batch}, {sourceLength}), but got torch.Size({Shapes.Format(keyPaddingMask.ShapeRef)})");
            var padding = Additive(keyPaddingMask, "key_padding_mask", dtype).View(batch, 1, 1, sourceLength)
                .Expand(batch, NumHeads, 1, sourceLength).Reshape(batch * NumHeads, 1, sourceLength);
            mask = mask == null ? padding : mask + padding;
        }
        return mask;
    }

    /// <summary>PyTorch's _canonical_mask: a bool mask (true = masked out) becomes 0 / -inf; a float mask is kept.</summary>
    static Tensor Additive(Tensor mask, string name, DType dtype)
    {
        if (mask.DType == DType.Bool) return Torch.Zeros(mask.Shape, dtype, mask.Device).MaskedFill(mask, double.NegativeInfinity);
        if (!mask.IsFloatingPoint()) throw new ArgumentException($"only bool and floating types of {name} are supported");
        return mask;
    }
}
