namespace PSTorch;

/// <summary>What max/min along a dim return (PyTorch's torch.return_types.max): the values and their int64 indices.</summary>
public sealed record ValuesAndIndices(Tensor Values, Tensor Indices);
