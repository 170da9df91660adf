using PSTorch.Autograd;

namespace PSTorch.NN;

/// <summary>torch.nn.Embedding: a lookup table of numEmbeddings vectors, initialised N(0, 1) with the paddingIdx row zeroed.</summary>
public class Embedding : Module
{
    public Embedding(long numEmbeddings, long embeddingDim, long? paddingIdx = null, DType? dtype = null, Device? device = null)
    {
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        if (paddingIdx is { } p)
        {
            if (p >= numEmbeddings || p < -numEmbeddings) throw new ArgumentException("Padding_idx must be within num_embeddings");
            PaddingIdx = p < 0 ? p + numEmbeddings : p;
        }
        Weight = new Parameter(Torch.Empty([numEmbeddings, embeddingDim], dtype, device));
        RegisterParameter("weight", Weight);
        ResetParameters();
    }

    public long NumEmbeddings { get; }
    public long EmbeddingDim { get; }
    public long? PaddingIdx { get; }
    public Parameter Weight { get; }

    public void ResetParameters()
    {
        Init.Normal_(Weight);
        if (PaddingIdx is { } p)
            using (GradMode.Set(false)) Weight.Select(0, p).Zero_();
    }

    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx);

    public override string ExtraRepr() => $"{NumEmbeddings}, {EmbeddingDim}" + (PaddingIdx is { } p ? $", padding_idx={p}" : "");
}
