using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>The seed notes' PyTorch examples, written the way a PowerShell user writes them.</summary>
public class SeedExamplesTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    object[] Run(string script) => ps.Invoke(script).Select(o => o.BaseObject).ToArray();

    [Fact]
    public void PowMulReduce_GradFnNamesAndGradient()
    {
        // The seed uses z.mean(); Mean comes with the reduction work, so this branch checks Sum()/4 (same value and
        // gradient); tests/pester/Autograd.Tests.ps1 holds the Mean/MeanBackward0 contract.
        var r = Run(@"
            $x = New-Tensor -Ones -Shape 2,2 -RequiresGrad
            $y = $x.Pow(2)
            $z = $y * $y * 3
            $out = $z.Sum() / 4
            $y.GradFn.Name; $z.GradFn.Name; $out.Item()
            $out.Backward()
            ,$x.Grad.ToArray()");
        Assert.Equal("PowBackward0", r[0]);
        Assert.Equal("MulBackward0", r[1]);
        Assert.Equal(3.0, r[2]);
        Assert.Equal([3f, 3f, 3f, 3f], (float[])r[3]);
    }

    [Fact]
    public void VectorJacobianProduct_OfARepeatedlyDoubledTensor()
    {
        var r = Run(@"
            $x = New-Tensor -Randn -Shape 3 -RequiresGrad -Seed 5
            $j = $x * 2
            $doublings = 1
            while (($j * $j).Sum().Sqrt().Item() -lt 1000) { $j = $j * 2; $doublings++ }
            $v = New-Tensor 0.1, 1.0, 0.0001
            $j.Backward($v)
            $doublings
            ,$x.Grad.ToArray()");
        int doublings = (int)r[0];
        Assert.Equal([0.1f * MathF.Pow(2, doublings), MathF.Pow(2, doublings), 0.0001f * MathF.Pow(2, doublings)], (float[])r[1]);
    }

    [Fact]
    public void GradientsAccumulateUntilZeroed()
    {
        var r = Run(@"
            $x = New-Tensor -Ones -Shape 2 -RequiresGrad
            ($x * 2).Sum().Backward()
            ($x * 2).Sum().Backward()
            ,$x.Grad.ToArray()
            $null = $x.Grad.Zero_()
            ,$x.Grad.ToArray()");
        Assert.Equal([4f, 4f], (float[])r[0]);
        Assert.Equal([0f, 0f], (float[])r[1]);
    }

    [Fact]
    public void ChangesThroughData_AreNotRecorded()
    {
        var r = Run(@"
            $x = New-Tensor -Ones -Shape 1 -RequiresGrad
            $y = 2 * $x
            $x.Data = $x.Data * 100
            $y.Backward()
            $x.Grad.Item(); $x.Item()");
        Assert.Equal([2.0, 100.0], r);
    }

    [Fact]
    public void TransposedView_ViewFailsFlattenCopiesReshapeWorks()
    {
        var r = Run(@"
            $a = (New-Tensor -Arange -End 12).View(3,4)
            $b = $a.T()
            $b.IsContiguous()
            try { $null = $b.View(-1) } catch { $_.Exception.InnerException.Message }
            $f = $b.Flatten()
            $f.SharesStorageWith($a)
            ,$f.ToArray()
            ($b.Reshape(-1).Shape -join ',')");
        Assert.Equal(false, r[0]);
        Assert.Contains("view size is not compatible with input tensor's size and stride", (string)r[1]);
        Assert.Contains("Use .reshape(...) instead.", (string)r[1]);
        Assert.Equal(false, r[2]);
        Assert.Equal([0L, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], (long[])r[3]);
        Assert.Equal("12", r[4]);
    }

    [Fact]
    public void OnesPlusRandn_KeepsTheShape()
    {
        var t = Assert.IsType<Tensor>(Assert.Single(Run("(New-Tensor -Ones -Shape 1,3) + (New-Tensor -Randn -Shape 1,3)")));
        Assert.Equal([1L, 3], t.Shape);
        Assert.Equal(DType.Float32, t.DType);
    }
}
