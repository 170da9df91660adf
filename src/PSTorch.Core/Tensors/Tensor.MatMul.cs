using PSTorch.Ops;

namespace PSTorch;

public partial class Tensor
{
    /// <summary>torch.matmul (the @ operator).</summary>
    public Tensor MatMul(Tensor other) => Ops.MatMul.Apply(this, other);

    public Tensor Mm(Tensor mat2) => Ops.MatMul.Mm(this, mat2);

    public Tensor Bmm(Tensor batch2) => Ops.MatMul.Bmm(this, batch2);

    /// <summary>A [1, ...] view without autograd, for kernels that take batched operands.</summary>
    internal Tensor Unsqueeze0View() => AsStridedView([1, .. ShapeRef], [0, .. StridesRef], StorageOffset);
}
