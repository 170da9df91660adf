namespace PSTorch;

/// <summary>torch.gather, torch.scatter, torch.index_select, ...: the static forms of the tensor indexing methods.</summary>
public static partial class Torch
{
    public static Tensor Gather(Tensor input, int dim, Tensor index) => input.Gather(dim, index);
    public static Tensor Scatter(Tensor input, int dim, Tensor index, Tensor src) => input.Scatter(dim, index, src);
    public static Tensor Scatter(Tensor input, int dim, Tensor index, double value) => input.Scatter(dim, index, value);
    public static Tensor ScatterAdd(Tensor input, int dim, Tensor index, Tensor src) => input.ScatterAdd(dim, index, src);
    public static Tensor IndexSelect(Tensor input, int dim, Tensor index) => input.IndexSelect(dim, index);
    public static Tensor IndexAdd(Tensor input, int dim, Tensor index, Tensor source, double alpha = 1) => input.IndexAdd(dim, index, source, alpha);
    public static Tensor MaskedFill(Tensor input, Tensor mask, double value) => input.MaskedFill(mask, value);
}
