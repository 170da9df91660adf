namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>
    /// softmax(q k^T * scale + mask) v (torch.nn.functional.scaled_dot_product_attention): query [..., L, E], key [..., S, E],
    /// value [..., S, Ev], batch dims broadcast. A bool attnMask says which positions take part (true), a float one is
    /// added to the scores; isCausal masks out every key after the query's position; scale defaults to 1/sqrt(E).
    /// Dropout with probability dropoutP is applied to the attention weights whenever dropoutP &gt; 0.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null, double dropoutP = 0,
        bool isCausal = false, double? scale = null)
    {
        if (query.NDim < 2 || key.NDim < 2 || value.NDim < 2)
            throw new ArgumentException($"scaled_dot_product_attention: expected query, key and value to have at least 2 dimensions, got {query.NDim}, {key.NDim} and {value.NDim}");
        if (isCausal && attnMask != null)
            throw new ArgumentException("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
        if (isCausal) attnMask = CausalMask(query.Size(-2), key.Size(-2), query.Device);
        var weights = AttentionWeights(query, key, attnMask, scale ?? 1 / Math.Sqrt(query.Size(-1)));
        return Dropout(weights, dropoutP).MatMul(value);
    }

    /// <summary>[L, S] bool: true where key j may be attended from query i (j &lt;= i), as ones(L, S).tril().</summary>
    internal static Tensor CausalMask(long queries, long keys, Device device) =>
        Torch.Arange(queries, DType.Int64, device).Unsqueeze(1).Ge(Torch.Arange(keys, DType.Int64, device).Unsqueeze(0));

    /// <summary>softmax(q k^T * scale + mask) over the keys; a bool mask keeps positions where it is true.</summary>
    internal static Tensor AttentionWeights(Tensor query, Tensor key, Tensor? mask, double scale)
    {
        if (query.Size(-1) != key.Size(-1))
            throw new ArgumentException($"scaled_dot_product_attention: query and key must have the same embedding size, got {query.Size(-1)} and {key.Size(-1)}");
        var scores = query.MatMul(key.Transpose(-2, -1)) * scale;
        if (mask != null)
            scores = mask.DType == DType.Bool ? scores.MaskedFill(mask.LogicalNot(), double.NegativeInfinity)
                : mask.IsFloatingPoint() ? scores + mask
                : throw new ArgumentException($"Expected attn_mask dtype to be bool or float or to match query dtype, got {mask.DType.TorchName()}");
        return scores.Softmax(-1);
    }
}
