using PSTorch;
using Xunit;
using static PSTorch.Tests.Engine.TensorAssert;

namespace PSTorch.Tests.Engine;

/// <summary>flip/roll/rot90, tril/triu, diagonal (a view), diag/diag_embed/trace: values, views, errors and gradients.</summary>
public class StructureTests
{
    static Tensor Range(params long[] shape) => Torch.Arange(Shapes.Numel(shape), DType.Float64).Reshape(shape);
    static Tensor Random(params long[] shape) => Torch.Randn(shape, DType.Float64, generator: new Generator(11));
    static double[] Values(Tensor t) => t.To(DType.Float64).Contiguous().ToArray<double>();

    [Fact]
    public void FlipReversesTheGivenDims()
    {
        var x = Range(2, 3);
        Close([2, 1, 0, 5, 4, 3], x.Flip(1));
        Close([3, 4, 5, 0, 1, 2], x.Flip(0));
        Close([5, 4, 3, 2, 1, 0], x.Flip(0, -1));
        Close([2, 1, 0, 5, 4, 3], x.Fliplr());
        Close([3, 4, 5, 0, 1, 2], Torch.Flipud(x));
        Close([3, 0, 4, 1, 5, 2], x.T().Flip(1));
        Assert.Equal([0L, 2], Torch.Zeros(0, 2).Flip(0).Shape);
        var e = Assert.Throws<ArgumentException>(() => x.Flip(0, -2));
        Assert.Equal("dim 0 appears multiple times in the list of dims", e.Message);
        Assert.Throws<ArgumentException>(() => Range(3).Fliplr());
        // a copy, never a view
        var f = x.Flip(0);
        f[0, 0] = 100;
        Assert.Equal(0, x[0, 0].Item<double>());
    }

    [Fact]
    public void RollShiftsWithWraparound()
    {
        var v = Range(5);
        Close([3, 4, 0, 1, 2], v.Roll(2));
        Close([2, 3, 4, 0, 1], v.Roll(-2, 0));
        Close([3, 4, 0, 1, 2], v.Roll(12, 0));
        var m = Range(2, 3);
        Close([2, 0, 1, 5, 3, 4], m.Roll(1, 1));
        Close([5, 3, 4, 2, 0, 1], m.Roll([1, 1], [0, 1]));
        Close([5, 0, 1, 2, 3, 4], m.Roll(1)); // flattened, shape kept
        Assert.Equal([2L, 3], m.Roll(1).Shape);
        var e = Assert.Throws<ArgumentException>(() => m.Roll([1], [0, 1]));
        Assert.Equal("shifts and dimensions must align. shifts: 1, dims:2", e.Message);
    }

    [Fact]
    public void Rot90TurnsFromTheFirstDimTowardsTheSecond()
    {
        var x = Range(2, 2); // [[0, 1], [2, 3]]
        Close([1, 3, 0, 2], x.Rot90());
        Close([3, 2, 1, 0], x.Rot90(2));
        Close([2, 0, 3, 1], x.Rot90(-1));
        Close(Values(x.Rot90(3)), x.Rot90(-1));
        Close(Values(x), x.Rot90(4));
        Close([2, 0, 3, 1], x.Rot90(1, [1, 0]));
        Assert.Equal([3L, 2, 4], Range(2, 3, 4).Rot90(1, [0, 1]).Shape);
        Assert.Equal("expected total rotation dims == 2, but got dims = 1", Assert.Throws<ArgumentException>(() => x.Rot90(1, [0])).Message);
        Assert.Equal("expected total dims >= 2, but got total dims = 1", Assert.Throws<ArgumentException>(() => Range(3).Rot90()).Message);
        Assert.Equal("expected rotation dims to be different, but got dim0 = 1 and dim1 = 1", Assert.Throws<ArgumentException>(() => x.Rot90(1, [1, -1])).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(-5)]
    public void TrilAndTriuKeepTheirTriangle(long diagonal)
    {
        var x = Random(2, 3, 4);
        var v = Values(x);
        var lower = new double[v.Length];
        var upper = new double[v.Length];
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++)
                {
                    int at = (b * 3 + i) * 4 + j;
                    lower[at] = j - i <= diagonal ? v[at] : 0;
                    upper[at] = j - i >= diagonal ? v[at] : 0;
                }
        Close(lower, x.Tril(diagonal), 0);
        Close(upper, Torch.Triu(x, diagonal), 0);
        var copy = x.Clone();
        Assert.Same(copy, copy.Tril_(diagonal));
        Close(lower, copy, 0);
        copy = x.Clone();
        copy.Triu_(diagonal);
        Close(upper, copy, 0);
    }

    [Fact]
    public void TrilKeepsDtypeAndRejectsVectors()
    {
        var ints = Torch.Ones([3, 3], DType.Int32).Tril();
        Assert.Equal(DType.Int32, ints.DType);
        Assert.Equal([1, 0, 0, 1, 1, 0, 1, 1, 1], ints.ToArray<int>());
        Assert.Equal([1, 1, 0, 1], Torch.Ones([2, 2], DType.Bool).Triu().To(DType.Int32).ToArray<int>());
        Assert.Equal("tril: input tensor must have at least 2 dimensions", Assert.Throws<ArgumentException>(() => Range(3).Tril()).Message);
        Assert.Equal("triu: input tensor must have at least 2 dimensions", Assert.Throws<ArgumentException>(() => Range(3).Triu()).Message);
        Close([0, 0, 1, 0], Range(2, 2).T().Tril(-1));
    }

    [Fact]
    public void DiagonalIsAViewSharingStorage()
    {
        var x = Range(3, 4);
        var d = x.Diagonal();
        Close([0, 5, 10], d);
        Assert.Same(x.UntypedStorage, d.UntypedStorage);
        d[1] = -1;
        Assert.Equal(-1, x[1, 1].Item<double>());
        Close([1, 6, 11], x.Diagonal(1));
        Close([4, 9], x.Diagonal(-1));
        Assert.Equal([0L], x.Diagonal(4).Shape);
        Assert.Equal([0L], x.Diagonal(-3).Shape);
        var cube = Range(2, 3, 3);
        Close([0, 4, 8, 9, 13, 17], cube.Diagonal(0, 1, 2));
        Close([0, 10, 3, 13, 6, 16], cube.Diagonal(0, 0, -1));
        Assert.Equal([3L, 2], cube.Diagonal(0, 0, 2).Shape);
        Close([2, 7], x.T().Diagonal(-2));
        Assert.Equal("diagonal dimensions cannot be identical 1, -1", Assert.Throws<ArgumentException>(() => x.Diagonal(0, 1, -1)).Message);
    }

    [Fact]
    public void DiagAndDiagEmbed()
    {
        var v = Doubles([1, 2]);
        Close([1, 0, 0, 2], v.Diag());
        Close([0, 1, 0, 0, 0, 2, 0, 0, 0], v.Diag(1));
        Close([0, 0, 0, 1, 0, 0, 0, 2, 0], Torch.Diag(v, -1));
        var m = Range(3, 3);
        Close([0, 4, 8], m.Diag());
        Close([3, 7], m.Diag(-1));
        var copy = m.Diag();
        copy[0] = 50;
        Assert.Equal(0, m[0, 0].Item<double>());
        Assert.Equal("diag(): Supports 1D or 2D tensors. Got 3D", Assert.Throws<ArgumentException>(() => Range(2, 2, 2).Diag()).Message);
        var batch = Range(2, 3).DiagEmbed();
        Assert.Equal([2L, 3, 3], batch.Shape);
        Close([3, 4, 5], batch[1].Diagonal());
        Close([0, 0, 0, 0], Torch.Cat([batch[0].Diagonal(1), batch[1].Diagonal(-1)]));
        Assert.Equal([4L, 2, 4], Range(2, 3).DiagEmbed(1, 0, 2).Shape);
    }

    [Fact]
    public void TraceSumsTheMainDiagonal()
    {
        Assert.Equal(12.0, Range(3, 3).Trace().Item<double>());
        Assert.Equal(4.0, Range(2, 3).Trace().Item<double>());
        var ints = Torch.Ones([3, 3], DType.Int32).Trace();
        Assert.Equal(DType.Int64, ints.DType);
        Assert.Equal(3L, ints.Item<long>());
        Assert.Equal("trace: expected a matrix, but got tensor with dim 1", Assert.Throws<ArgumentException>(() => Range(3).Trace()).Message);
    }

    [Fact]
    public void GradFnNames()
    {
        var x = Random(3, 3).RequiresGrad_();
        Assert.Equal("FlipBackward0", x.Flip(0).GradFn!.Name);
        Assert.Equal("RollBackward0", x.Roll(1, 0).GradFn!.Name);
        Assert.Equal("TrilBackward0", x.Tril().GradFn!.Name);
        Assert.Equal("TriuBackward0", x.Triu().GradFn!.Name);
        Assert.Equal("DiagonalBackward0", x.Diagonal().GradFn!.Name);
        Assert.Equal("DiagEmbedBackward0", x.DiagEmbed().GradFn!.Name);
        Assert.Equal("TraceBackward0", x.Trace().GradFn!.Name);
        var y = x * 1;
        y.Tril_();
        Assert.Equal("TrilBackward0", y.GradFn!.Name);
    }

    [Fact]
    public void GradientsPassGradCheck()
    {
        var x = Random(3, 4).RequiresGrad_();
        Assert.True(Torch.GradCheck(t => t[0].Flip(0, 1), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Roll([1, -2], [0, 1]), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Roll(5), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Rot90(1), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Tril(1), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Triu(-1), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Diagonal(1), [x]));
        Assert.True(Torch.GradCheck(t => t[0].T().Diagonal(-1), [x]));
        Assert.True(Torch.GradCheck(t => t[0].DiagEmbed(1), [x]));
        Assert.True(Torch.GradCheck(t => t[0].Trace(), [x]));
        Assert.True(Torch.GradCheck(t => t[0][0].Diag(), [x]));
        Assert.True(Torch.GradCheck(t => (t[0] * 1).Tril_(), [x]));
    }

    [Fact]
    public void TraceRunsInFloat32UnderCpuAutocast()
    {
        var x = Range(3, 3).To(DType.BFloat16);
        using (Torch.Autocast("cpu"))
        {
            var trace = x.Trace();
            Assert.Equal(DType.Float32, trace.DType);
            Assert.Equal(12f, trace.Item<float>());
        }
        Assert.Equal(DType.BFloat16, x.Trace().DType);
    }
}
