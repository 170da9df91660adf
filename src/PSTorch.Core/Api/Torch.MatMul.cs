namespace PSTorch;

public static partial class Torch
{
    public static Tensor MatMul(Tensor a, Tensor b) => a.MatMul(b);
    public static Tensor Mm(Tensor a, Tensor b) => a.Mm(b);
    public static Tensor Bmm(Tensor a, Tensor b) => a.Bmm(b);
}
