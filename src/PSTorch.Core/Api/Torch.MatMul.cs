namespace PSTorch;

public static partial class Torch
{
    public static Tensor MatMul(Tensor a, Tensor b) => a.MatMul(b);
    public static Tensor Mm(Tensor a, Tensor b) => a.Mm(b);
    public static Tensor Bmm(Tensor a, Tensor b) => a.Bmm(b);

    /// <summary>input + mat1 @ mat2, fused.</summary>
    public static Tensor Addmm(Tensor input, Tensor mat1, Tensor mat2) => Ops.MatMul.Addmm(input, mat1, mat2);
}
