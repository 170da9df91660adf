using PSTorch.Autograd;

namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>
    /// Rows of <paramref name="weight"/> picked by the integer <paramref name="input"/>: output [*input.shape, dim].
    /// The weight gradient sums the gradients of repeated indices and leaves the paddingIdx row at zero.
    /// </summary>
    public static Tensor Embedding(Tensor input, Tensor weight, long? paddingIdx = null)
    {
        if (input.DType is not (DType.Int64 or DType.Int32))
            throw new ArgumentException($"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.{input.DType.LegacyName()}Tensor instead (while checking arguments for embedding)");
        if (weight.NDim != 2) throw new ArgumentException("'weight' must be 2-D");
        long rows = weight.Size(0), dim = weight.Size(1);
        long? padding = paddingIdx is { } p ? NormalizePaddingIndex(p, rows) : null;
        var flat = input.Reshape(-1);
        long[] outShape = [.. input.Shape, dim];
        Tensor y;
        using (GradMode.Set(false))
        {
            var picked = weight.Detach().IndexSelect(0, flat);
            // a fresh (non-view) tensor of the output shape, so the grad_fn sits on the result itself
            y = input.NDim == 1 ? picked : picked.Reshape(outShape).Clone();
        }
        if (Graph.ShouldRecord(weight))
        {
            var weightShape = weight.Shape;
            Graph.Record(y, "EmbeddingBackward0", [weight], [], (g, _, _) =>
            {
                var rowsGrad = g.Reshape(-1, dim);
                if (padding is { } pad) rowsGrad = rowsGrad * (flat != pad).Unsqueeze(1).To(g.DType);
                return [Torch.Zeros(weightShape, g.DType, g.Device).IndexAdd(0, flat, rowsGrad)];
            });
        }
        return y;
    }

    static long NormalizePaddingIndex(long paddingIdx, long rows)
    {
        if (paddingIdx >= rows || paddingIdx < -rows) throw new ArgumentException("Padding_idx must be within num_embeddings");
        return paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
    }
}
