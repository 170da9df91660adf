namespace PSTorch;

public partial class Tensor
{
    /// <summary>PyTorch's repr: <c>tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)</c>.</summary>
    public override string ToString() => TensorFormatter.Repr(this);
}
