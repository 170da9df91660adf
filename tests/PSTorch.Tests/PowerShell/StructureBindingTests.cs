using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>How PowerShell binds the scan and structure members' overloads and optional arguments.</summary>
public class StructureBindingTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    object[] Run(string script) => ps.Invoke(script).Select(o => o.BaseObject).ToArray();

    Tensor One(string script) => Assert.IsType<Tensor>(Assert.Single(Run(script)));

    [Fact]
    public void ScansBindWithAndWithoutTheOptionalDtype()
    {
        Assert.Equal([1L, 3, 6], One("(New-Tensor 1,2,3).Cumsum(0)").ToArray<long>());
        Assert.Equal(DType.Float64, One("(New-Tensor 1,2,3).Cumsum(0, [PSTorch.DType]::Float64)").DType);
        Assert.Equal([0L, 1, 1], One("(New-Tensor 1,3,2).Cummax(0).Indices").ToArray<long>());
        Assert.Equal([1L, 2, 6], One("[PSTorch.Torch]::Cumprod((New-Tensor 1,2,3), -1)").ToArray<long>());
    }

    [Fact]
    public void FlipRollAndTrianglesBind()
    {
        Assert.Equal([3L, 2, 1], One("(New-Tensor 1,2,3).Flip(0)").ToArray<long>());
        Assert.Equal([4L, 3, 2, 1], One("(New-Tensor -Data @(@(1,2),@(3,4))).Flip(0, 1)").ToArray<long>());
        Assert.Equal([3L, 1, 2], One("(New-Tensor 1,2,3).Roll(1)").ToArray<long>());
        Assert.Equal([4L, 3, 2, 1], One("(New-Tensor -Data @(@(1,2),@(3,4))).Roll(@(1, 1), @(0, 1))").ToArray<long>());
        Assert.Equal([1L, 0, 3, 4], One("(New-Tensor -Data @(@(1,2),@(3,4))).Tril()").ToArray<long>());
        Assert.Equal([0L, 2, 0, 0], One("(New-Tensor -Data @(@(1,2),@(3,4))).Triu(1)").ToArray<long>());
        Assert.Equal([1L, 4], One("(New-Tensor -Data @(@(1,2),@(3,4))).Diagonal()").ToArray<long>());
        Assert.Equal(3L, One("(New-Tensor 0,1,2,3).CountNonzero()").Item<long>());
        Assert.Equal([1L, 1, 1], One("(New-Tensor 1,2,3,4).Diff()").ToArray<long>());
        Assert.Equal([19L, 22, 43, 50], One("$a = New-Tensor -Data @(@(1,2),@(3,4)); $b = New-Tensor -Data @(@(5,6),@(7,8)); [PSTorch.Torch]::Einsum('ij,jk->ik', $a, $b)").ToArray<long>());
    }

    [Fact]
    public void DiagonalWritesAndCumprodGradientsFromPowerShell()
    {
        var r = Run("$m = [PSTorch.Torch]::Zeros(3, 3); $d = $m.Diagonal(); $d[1] = 5; $m[1, 1].Item(); " +
            "$x = New-Tensor -Data @(2.0, 0.0, 3.0) -RequiresGrad; $x.Cumprod(0).Sum().Backward(); ,$x.Grad.ToArray(); $x.Cumprod(0).GradFn.Name");
        Assert.Equal(5f, Convert.ToSingle(r[0]));
        Assert.Equal([1f, 8, 0], (float[])r[1]);
        Assert.Equal("CumprodBackward0", r[2]);
    }
}
