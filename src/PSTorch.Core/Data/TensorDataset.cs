namespace PSTorch.Data;

/// <summary>torch.utils.data.TensorDataset: sample i is the i-th row of each tensor, as object[].</summary>
public sealed class TensorDataset : Dataset, IBatchedDataset
{
    readonly Tensor[] tensors;

    public TensorDataset(params Tensor[] tensors)
    {
        if (tensors.Length == 0) throw new ArgumentException("TensorDataset needs at least one tensor");
        foreach (var t in tensors)
        {
            if (t.NDim == 0) throw new ArgumentException("TensorDataset tensors need a first (sample) dimension; got a 0-dim tensor");
            if (t.Size(0) != tensors[0].Size(0)) throw new ArgumentException("Size mismatch between tensors");
        }
        this.tensors = tensors;
    }

    public IReadOnlyList<Tensor> Tensors => tensors;

    public override int Count => (int)tensors[0].Size(0);

    public override object GetItem(int index)
    {
        index = CheckIndex(index);
        var sample = new object[tensors.Length];
        for (int i = 0; i < tensors.Length; i++) sample[i] = tensors[i].Select(0, index);
        return sample;
    }

    public bool CanGetBatch => true;

    public object GetBatch(IReadOnlyList<int> indices)
    {
        var batch = new object[tensors.Length];
        for (int i = 0; i < tensors.Length; i++) batch[i] = RowGather.Gather(tensors[i], indices);
        return batch;
    }
}
