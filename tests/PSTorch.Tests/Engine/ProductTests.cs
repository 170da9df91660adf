using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

/// <summary>outer/dot/mv/kron/tensordot/cross and einsum against naive loops and existing ops, with gradients.</summary>
public class ProductTests
{
    static Tensor Random(int seed, params long[] shape) => Torch.Randn(shape, DType.Float64, generator: new Generator(seed));
    static double[] Values(Tensor t) => t.To(DType.Float64).Contiguous().ToArray<double>();

    [Fact]
    public void OuterDotAndMv()
    {
        var a = Doubles([1, 2]);
        var b = Doubles([3, 4, 5]);
        Close([3, 4, 5, 6, 8, 10], a.Outer(b));
        Close([3, 4, 5, 6, 8, 10], Torch.Ger(a, b));
        Assert.Equal("outer: Expected 1-D argument self, but got 2-D", Assert.Throws<ArgumentException>(() => a.Reshape(1, 2).Outer(b)).Message);
        Assert.Equal(46.0, b.Dot(b.Flip(0)).Item<double>());
        var ints = Torch.NewTensor(new[] { 1, 2, 3 }).To(DType.Int32);
        var dot = ints.Dot(ints);
        Assert.Equal(DType.Int32, dot.DType);
        Assert.Equal(14, dot.Item<int>());
        Assert.Equal("1D tensors expected, but got 2D and 1D tensors", Assert.Throws<ArgumentException>(() => a.Reshape(1, 2).Dot(a)).Message);
        Assert.Equal("inconsistent tensor size, expected tensor [2] and src [3] to have the same number of elements, but got 2 and 3 elements respectively",
            Assert.Throws<ArgumentException>(() => a.Dot(b)).Message);
        Assert.Equal("dot : expected both vectors to have same dtype, but found Double and Float", Assert.Throws<ArgumentException>(() => a.Dot(Torch.Ones(2))).Message);
        var m = Torch.Arange(6, DType.Float64).Reshape(2, 3);
        Close([14, 50], m.Mv(b));
        Close([14, 50], Torch.Mv(m.T().Contiguous().T(), b));
        Assert.Equal("size mismatch, got input (2), mat (2x3), vec (2)", Assert.Throws<ArgumentException>(() => m.Mv(a)).Message);
        Assert.Equal("vector + matrix @ vector expected, got 1, 1, 1", Assert.Throws<ArgumentException>(() => a.Mv(a)).Message);
    }

    [Fact]
    public void KronMatchesTheBlockDefinition()
    {
        var a = Random(1, 2, 3);
        var b = Random(2, 4, 2);
        var k = a.Kron(b);
        Assert.Equal([8L, 6], k.Shape);
        var (av, bv, kv) = (Values(a), Values(b), Values(k));
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 6; j++)
                Assert.Equal(av[i / 4 * 3 + j / 2] * bv[i % 4 * 2 + j % 2], kv[i * 6 + j], 12);
        Close([1, 2, 2, 4, 3, 6], Torch.Kron(Doubles([1, 2, 3]), Doubles([1, 2])));
        Assert.Equal([2L, 6], Torch.Kron(Doubles([1, 2, 3]), Random(3, 2, 2)).Shape);
    }

    [Fact]
    public void TensordotContractsTheGivenDims()
    {
        var a = Random(1, 3, 4, 5);
        var b = Random(2, 4, 5, 2);
        var two = Torch.Tensordot(a, b);
        Close(Values(a.Reshape(3, 20).Mm(b.Reshape(20, 2))), two, 1e-12);
        var lists = Torch.Tensordot(a, b.Permute(1, 0, 2), [2, 1], [0, 1]);
        Close(Values(two), lists, 1e-12);
        Assert.Equal([3L, 4, 5, 4, 5, 2], Torch.Tensordot(a, b, 0).Shape);
        var e = Assert.Throws<ArgumentException>(() => Torch.Tensordot(a, b, [0], [0]));
        Assert.Equal("contracted dimensions need to match, but first has size 3 in dim 0 and second has size 4 in dim 0", e.Message);
    }

    [Fact]
    public void CrossFollowsTheRightHandRule()
    {
        Close([0, 0, 1], Doubles([1, 0, 0]).Cross(Doubles([0, 1, 0])));
        var a = Random(1, 4, 3);
        var b = Random(2, 4, 3);
        var c = Values(a.Cross(b, -1));
        var (av, bv) = (Values(a), Values(b));
        for (int r = 0; r < 4; r++)
        {
            int o = 3 * r;
            Assert.Equal(av[o + 1] * bv[o + 2] - av[o + 2] * bv[o + 1], c[o], 12);
            Assert.Equal(av[o + 2] * bv[o] - av[o] * bv[o + 2], c[o + 1], 12);
            Assert.Equal(av[o] * bv[o + 1] - av[o + 1] * bv[o], c[o + 2], 12);
        }
        Close(c, a.T().Cross(b.T(), 0).T());
        Close(c, Torch.Cross(a, b)); // the first dim of size 3
        Assert.Equal([4L, 3], a.Cross(b[..1]).Shape); // broadcast
        Assert.Equal("linalg.cross: inputs dimension 0 must have length 3. Got 4 and 4", Assert.Throws<ArgumentException>(() => a.Cross(b, 0)).Message);
    }

    [Fact]
    public void EinsumCommonEquations()
    {
        var a = Random(1, 3, 4);
        var b = Random(2, 4, 5);
        var sq = Random(3, 4, 4);
        var batchA = Random(4, 2, 3, 4);
        var batchB = Random(5, 2, 4, 5);
        Close(Values(a.Mm(b)), Torch.Einsum("ij,jk->ik", a, b), 1e-12);
        Close(Values(a.Mm(b)), Torch.Einsum("ij,jk", a, b), 1e-12);
        Close(Values(batchA.Bmm(batchB)), Torch.Einsum("bij,bjk->bik", batchA, batchB), 1e-12);
        Close(Values(a.T()), Torch.Einsum("ij->ji", a));
        Close(Values(a.T()), Torch.Einsum("ba", a));
        Close([sq.Trace().Item<double>()], Torch.Einsum("ii", sq), 1e-12);
        Close(Values(sq.Diagonal()), Torch.Einsum("ii->i", sq));
        var u = Random(6, 3);
        var v = Random(7, 5);
        Close(Values(u.Outer(v)), Torch.Einsum("i,j->ij", u, v), 1e-12);
        Close([a.Sum().Item<double>()], Torch.Einsum("ij->", a), 1e-12);
        Close(Values(a.Sum(0)), Torch.Einsum("ij->j", a), 1e-12);
        Close([u.Dot(u).Item<double>()], Torch.Einsum("i,i->", u, u), 1e-12);
        Close(Values(batchA.Transpose(-1, -2)), Torch.Einsum("...ij->...ji", batchA));
        Close(Values(batchA.MatMul(b)), Torch.Einsum("...ij,jk->...ik", batchA, b), 1e-12);
        Close(Values(a.Mm(b).Mm(Random(8, 5, 2))), Torch.Einsum("ij,jk,kl->il", a, b, Random(8, 5, 2)), 1e-12);
        Assert.Equal("einsum(): more operands were provided than specified in the equation", Assert.Throws<ArgumentException>(() => Torch.Einsum("ij", a, b)).Message);
        Assert.Throws<ArgumentException>(() => Torch.Einsum("ijk", a));
    }

    [Fact]
    public void GradientsPassGradCheck()
    {
        var a = Random(1, 3).RequiresGrad_();
        var b = Random(2, 3).RequiresGrad_();
        var m = Random(3, 2, 3).RequiresGrad_();
        Assert.True(Torch.GradCheck(t => t[0].Dot(t[1]), [a, b]));
        Assert.True(Torch.GradCheck(t => t[0].Outer(t[1]), [a, b]));
        Assert.True(Torch.GradCheck(t => t[0].Mv(t[1]), [m, b]));
        Assert.True(Torch.GradCheck(t => t[0].Kron(t[1]), [m, a]));
        Assert.True(Torch.GradCheck(t => t[0].Cross(t[1]), [a, b]));
        Assert.True(Torch.GradCheck(t => t[0].Cross(t[1].Unsqueeze(0), 1), [m, b]));
        Assert.True(Torch.GradCheck(t => Torch.Tensordot(t[0], t[1], 1), [m, b]));
        Assert.True(Torch.GradCheck(t => Torch.Einsum("ij,j->i", t[0], t[1]), [m, b]));
        Assert.True(Torch.GradCheck(t => Torch.Einsum("ij,kj->ik", t[0], t[0]), [m]));
        Assert.Equal("DotBackward0", a.Dot(b).GradFn!.Name);
        Assert.Equal("MvBackward0", m.Mv(b).GradFn!.Name);
        Assert.Equal("LinalgCrossBackward0", a.Cross(b).GradFn!.Name);
    }
}
